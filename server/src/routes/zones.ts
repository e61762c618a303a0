// Zones drawn on a camera's picture (stall detection, issue 7). Polygons are normalised 0–1 and
// must be simple; dwell > 0; active hours are weekly local windows. Bad input is a 400 and
// nothing is stored. Stall workers reload zones on their own, so no push is needed here.
// Also the stall events of those zones: the operators' list, and marking one a false alarm (the
// event is kept, flagged, for evaluation).
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { validateDwell, validatePolygon } from '../../../analytics/src/stalls/polygon';
import { ZoneError } from '../../../analytics/src/stalls/errors';
import { registerCrud } from '../lib/crud';
import { badRequest, notFound } from '../lib/http-error';
import { errorResponses, IdParams, Name, Page, PageQuery, Uuid } from '../lib/schemas';
import { paginate } from '../lib/sql';

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
  await stallEventRoutes(app);
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

const StallEventOut = Type.Object({
  id: Type.String(),
  cameraId: Type.Union([Type.String(), Type.Null()]),
  zoneId: Type.Union([Type.String(), Type.Null()]),
  zoneName: Type.Union([Type.String(), Type.Null()]),
  startedAt: Type.String(),
  endedAt: Type.Union([Type.String(), Type.Null()]),
  box: Type.Union([Type.Array(Type.Number()), Type.Null()]),
  snapshotPath: Type.Union([Type.String(), Type.Null()]),
  falseAlarm: Type.Boolean(),
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const toStallEvent = (r: any) => ({
  id: r.id,
  cameraId: r.camera_id,
  zoneId: r.zone_id,
  zoneName: r.zone_name ?? null,
  startedAt: new Date(r.started_at).toISOString(),
  endedAt: r.ended_at ? new Date(r.ended_at).toISOString() : null,
  box: r.box,
  snapshotPath: r.snapshot_path,
  falseAlarm: r.false_alarm,
});

export async function stallEventRoutes(app: FastifyInstance) {
  const tags = ['stall-event'];
  const from = `(SELECT e.*, z.name AS zone_name FROM events e LEFT JOIN zones z ON z.id = e.zone_id WHERE e.type = 'stall') s`;
  app.get(
    '/api/stall-events',
    {
      config: { access: ['admin', 'operator'] },
      schema: {
        tags,
        querystring: Type.Object({ ...PageQuery, cameraId: Type.Optional(Uuid), zoneId: Type.Optional(Uuid), falseAlarm: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 200: Page(StallEventOut), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query as { page?: number; pageSize?: number; q?: string; cameraId?: string; zoneId?: string; falseAlarm?: boolean };
      const where: string[] = [];
      const params: unknown[] = [];
      for (const [col, v] of [['camera_id', q.cameraId], ['zone_id', q.zoneId], ['false_alarm', q.falseAlarm]] as const) {
        if (v === undefined) continue;
        params.push(v);
        where.push(`${col} = $${params.length}`);
      }
      if (q.q) {
        params.push(`%${q.q}%`);
        where.push(`zone_name ILIKE $${params.length}`);
      }
      return paginate(app.db, { from, where, params, orderBy: 'started_at DESC', page: q.page, pageSize: q.pageSize, map: toStallEvent });
    },
  );
  app.post(
    '/api/stall-events/:id/false-alarm',
    {
      config: { access: ['admin', 'operator'] },
      schema: { tags, params: IdParams, body: Type.Object({ falseAlarm: Type.Boolean() }, { additionalProperties: false }), response: { 200: StallEventOut, ...errorResponses } },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const { falseAlarm } = request.body as { falseAlarm: boolean };
      const { rows } = await app.db.query(`UPDATE events SET false_alarm = $2 WHERE id = $1 AND type = 'stall' RETURNING id`, [id, falseAlarm]);
      if (!rows[0]) throw notFound('Stall event');
      await app.audit.write(request, { action: 'stall_event.false_alarm', targetType: 'event', targetId: id, details: { falseAlarm } });
      const row = await app.db.query(`SELECT * FROM ${from} WHERE id = $1`, [id]);
      return toStallEvent(row.rows[0]);
    },
  );
}
