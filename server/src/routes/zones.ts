// Zones drawn on a camera's picture (stall detection, issue 7). Polygons are normalised 0–1 and
// must be simple; dwell > 0; active hours are weekly local windows. Bad input is a 400 and
// nothing is stored. Stall workers reload zones on their own, so no push is needed here.
// Also the stall events of those zones: the operators' list, and marking one a false alarm (the
// event is kept, flagged, for evaluation). A zone write reschedules the stall pipelines at once,
// so a zone drawn in the editor watches from its next frames, not after the 30 s resync.
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
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
  app.addHook('onResponse', async (request, reply) => {
    if (request.method === 'GET' || reply.statusCode >= 300 || !request.routeOptions.url?.startsWith('/api/zones')) return;
    if (app.hasDecorator('syncStalls')) await app.syncStalls().catch((err) => app.log.warn({ err }, 'stall scheduler sync after a zone write failed'));
  });
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
  /** The incident the event raised (its snapshot is `GET /api/incidents/:incidentId/snapshot`). */
  incidentId: Type.Union([Type.String(), Type.Null()]),
  startedAt: Type.String(),
  endedAt: Type.Union([Type.String(), Type.Null()]),
  box: Type.Union([Type.Array(Type.Number()), Type.Null()]),
  snapshotPath: Type.Union([Type.String(), Type.Null()]),
  falseAlarm: Type.Boolean(),
});

export type StallEvent = Static<typeof StallEventOut>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const toStallEvent = (r: any): StallEvent => ({
  id: r.id,
  cameraId: r.camera_id,
  zoneId: r.zone_id,
  zoneName: r.zone_name ?? null,
  incidentId: r.incident_id ?? null,
  startedAt: new Date(r.started_at).toISOString(),
  endedAt: r.ended_at ? new Date(r.ended_at).toISOString() : null,
  box: r.box,
  snapshotPath: r.snapshot_path,
  falseAlarm: r.false_alarm,
});

const STALL_EVENTS = `(SELECT e.*, z.name AS zone_name, i.id AS incident_id FROM events e LEFT JOIN zones z ON z.id = e.zone_id
   LEFT JOIN incidents i ON i.event_id = e.id WHERE e.type = 'stall') s`;

/** One stall event as the API (and the `stall.started` / `stall.ended` pushes) show it. */
export async function stallEventById(app: FastifyInstance, id: string): Promise<StallEvent | null> {
  const { rows } = await app.db.query(`SELECT * FROM ${STALL_EVENTS} WHERE id = $1`, [id]);
  return rows[0] ? toStallEvent(rows[0]) : null;
}

export async function stallEventRoutes(app: FastifyInstance) {
  const tags = ['stall-event'];
  const from = STALL_EVENTS;
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
      const event = (await stallEventById(app, id))!;
      // Every operator's wall drops (or restores) the box and the list entry at once.
      await app.live.publish('stall.updated', event);
      return event;
    },
  );
}
