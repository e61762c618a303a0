// Zones drawn on a camera's picture (stall detection, issue 7). Polygons are normalised 0–1 and
// must be simple; dwell > 0; active hours are weekly local windows. Bad input is a 400 and
// nothing is stored. Stall workers reload zones on their own, so no push is needed here.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { validateDwell, validatePolygon } from '../../../analytics/src/stalls/polygon';
import { ZoneError } from '../../../analytics/src/stalls/errors';
import { registerCrud } from '../lib/crud';
import { badRequest } from '../lib/http-error';
import { Name, Uuid } from '../lib/schemas';

const Point = Type.Tuple([Type.Number(), Type.Number()]);
const Polygon = Type.Array(Point, { minItems: 3, maxItems: 64 });
const Clock = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' });
const ActiveWindow = Type.Object(
  {
    /** 0 = Sunday … 6; omitted = every day. */
    days: Type.Optional(Type.Array(Type.Integer({ minimum: 0, maximum: 6 }), { minItems: 1, maxItems: 7, uniqueItems: true })),
    from: Clock,
    to: Clock,
  },
  { additionalProperties: false },
);
const ActiveHours = Type.Union([Type.Array(ActiveWindow, { minItems: 1, maxItems: 14 }), Type.Null()]);
const Seconds = (min: number) => Type.Integer({ minimum: min, maximum: 86_400 });

const ZoneBody = Type.Object(
  {
    cameraId: Uuid,
    name: Name,
    kind: Type.Optional(Type.Literal('stall')),
    polygon: Polygon,
    dwellSeconds: Seconds(1),
    graceSeconds: Type.Optional(Seconds(0)),
    activeHours: Type.Optional(ActiveHours),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const ZoneOut = Type.Object({
  id: Type.String(),
  cameraId: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  polygon: Polygon,
  dwellSeconds: Type.Integer(),
  graceSeconds: Type.Integer(),
  activeHours: ActiveHours,
  enabled: Type.Boolean(),
});

export default async function zoneRoutes(app: FastifyInstance) {
  registerCrud(app, {
    path: '/api/zones',
    table: 'zones',
    entity: 'zone',
    read: ['admin', 'operator'],
    write: ['admin'],
    columns: {
      cameraId: 'camera_id',
      name: 'name',
      kind: 'kind',
      polygon: 'polygon',
      dwellSeconds: 'dwell_seconds',
      graceSeconds: 'grace_seconds',
      activeHours: 'active_hours',
      enabled: 'enabled',
    },
    create: ZoneBody,
    out: ZoneOut,
    searchColumns: ['name'],
    filters: { cameraId: { column: 'camera_id', schema: Uuid } },
    beforeWrite: (b) => {
      try {
        if (b.polygon !== undefined) validatePolygon(b.polygon);
        if (b.dwellSeconds !== undefined) validateDwell(b.dwellSeconds);
      } catch (e) {
        if (e instanceof ZoneError) throw badRequest(e.message, `zone_${e.code.replace(/-/g, '_')}`);
        throw e;
      }
      for (const w of (b.activeHours as { from: string; to: string }[] | null | undefined) ?? []) {
        if (w.from === w.to) throw badRequest('an active-hours window must not be empty (from = to)', 'zone_bad_hours');
      }
      // jsonb columns: pg would send a JS array as a Postgres array literal.
      if (b.polygon !== undefined) b.polygon = JSON.stringify(b.polygon);
      if (b.activeHours !== undefined) b.activeHours = b.activeHours === null ? null : JSON.stringify(b.activeHours);
      return b;
    },
    toApi: (r) => ({
      id: r.id,
      cameraId: r.camera_id,
      name: r.name,
      kind: r.kind,
      polygon: r.polygon,
      dwellSeconds: r.dwell_seconds,
      graceSeconds: r.grace_seconds,
      activeHours: r.active_hours,
      enabled: r.enabled,
    }),
  });
}
