// Street-stall detection in the running product: one BullMQ job per camera with enabled zones
// (workers can run on other machines), frames from the camera's single ingest, events through
// publishEvent() into incidents, snapshots on disk, health on /api/health. Operators' walls get
// `stall.started` / `stall.ended` pushes carrying the event as `GET /api/stall-events` lists it.
// An event stays open across restarts and worker moves (the next pipeline takes it over, seeded
// with the camera's background kept in Redis); only its zone clearing, or the zone being switched
// off or deleted, ends it.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { isActiveAt, readStallHealth, redisBackgroundStore, StallScheduler, StallWorker, summariseStallHealth } from '../../../analytics/src';
import type { PipelineDeps } from '../../../analytics/src/stalls/pipeline';
import { publishEvent, storeEventSnapshot } from '../incidents/events';
import { stallEventById } from '../routes/zones';
import { streamIdOf } from '../streams/stream-ids';

const SYNC_EVERY_MS = 30_000;

declare module 'fastify' {
  interface FastifyInstance {
    /** Re-reads which cameras have enabled stall zones and schedules their pipelines now. */
    syncStalls: () => Promise<void>;
  }
}

export const stallsPlugin = fp(async (app: FastifyInstance) => {
  if (!app.config.stalls) return;
  // Best effort: the event is stored either way and walls re-read the list every minute; a failed
  // push (Redis away, or closed first at shutdown) must not count as a failed event.
  const pushEvent = async (topic: string, eventId: string) => {
    const event = await stallEventById(app, eventId);
    if (event) await app.live.publish(topic, event).catch((err) => app.log.debug({ err: (err as Error).message }, `stalls: ${topic} push failed`));
  };
  const deps: PipelineDeps = {
    openFrames: (cameraId) => app.media.subscribeFrames(streamIdOf(cameraId, 'sub'), { fps: 2, width: 640 }),
    loadZones: async (cameraId) => {
      // Frames come from the camera's single ingest on this node; make sure it knows the source.
      await app.ensureStream(streamIdOf(cameraId, 'sub'));
      const { rows } = await app.db.query(
        `SELECT z.id, z.polygon, z.dwell_seconds, z.grace_seconds, z.active_hours, coalesce(s.timezone, 'Asia/Shanghai') AS tz
           FROM zones z JOIN cameras c ON c.id = z.camera_id LEFT JOIN sites s ON s.id = c.site_id
          WHERE z.camera_id = $1 AND z.enabled AND z.kind = 'stall'`,
        [cameraId],
      );
      const now = new Date();
      return rows
        .filter((z) => isActiveAt(z.active_hours, now, z.tz))
        .map((z) => ({ id: z.id, polygon: z.polygon, dwellSec: z.dwell_seconds, graceSec: z.grace_seconds }));
    },
    openEvents: async (cameraId) => {
      const { rows } = await app.db.query(
        `SELECT zone_id, dedup_key, started_at, box FROM events WHERE type = 'stall' AND camera_id = $1 AND ended_at IS NULL AND zone_id IS NOT NULL`,
        [cameraId],
      );
      return rows.map((r) => ({ zoneId: r.zone_id, key: r.dedup_key, start: new Date(r.started_at), box: r.box }));
    },
    backgrounds: redisBackgroundStore(app.redis, app.config.redisPrefix),
    sink: {
      started: async (e) => {
        const snapshotPath = await storeEventSnapshot(app.config.dataDir, e.snapshotJpeg);
        const published = await publishEvent(app, { type: 'stall', dedupKey: e.key, cameraId: e.cameraId, zoneId: e.zoneId, startedAt: e.start, box: e.box, snapshotPath });
        if (!published.duplicate) await pushEvent('stall.started', published.eventId);
      },
      ended: async (e) => {
        // Ends once: a zone switched off may be swept here and by its pipeline at the same time.
        const { rows } = await app.db.query<{ id: string }>('UPDATE events SET ended_at = $2 WHERE dedup_key = $1 AND ended_at IS NULL RETURNING id', [e.key, e.end]);
        if (rows[0]) await pushEvent('stall.ended', rows[0].id);
      },
    },
    log: (msg, err) => app.log.warn({ err }, `stalls: ${msg}`),
  };
  const prefix = app.config.redisPrefix.replace(/:$/, '');
  const url = new URL(app.config.redisUrl);
  const connection = { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null };
  const worker = new StallWorker({ connection, prefix, deps, healthRedis: app.redis, healthKeyPrefix: app.config.redisPrefix });
  const scheduler = new StallScheduler({ connection, prefix });

  const sync = async () => {
    const { rows } = await app.db.query<{ camera_id: string }>(`SELECT DISTINCT camera_id FROM zones WHERE enabled AND kind = 'stall'`);
    await scheduler.sync(rows.map((r) => r.camera_id));
    // Open events whose zone was disabled or deleted while no pipeline watched its camera (a
    // camera with no enabled zone gets none): pipelines no longer end events when they stop.
    const swept = await app.db.query<{ id: string }>(
      `UPDATE events e SET ended_at = now() WHERE e.type = 'stall' AND e.ended_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM zones z WHERE z.id = e.zone_id AND z.enabled) RETURNING id`,
    );
    for (const r of swept.rows) await pushEvent('stall.ended', r.id);
  };
  app.decorate('syncStalls', sync);
  let timer: NodeJS.Timeout | null = null;
  app.addHook('onReady', async () => {
    await sync().catch((err) => app.log.warn({ err }, 'stall scheduler sync failed'));
    timer = setInterval(() => void sync().catch((err) => app.log.warn({ err }, 'stall scheduler sync failed')), SYNC_EVERY_MS);
    timer.unref();
  });
  app.addHook('preClose', async () => {
    if (timer) clearInterval(timer);
    await worker.close();
    await scheduler.close();
  });
  app.health.register('stalls', async () => summariseStallHealth(await readStallHealth(app.redis, app.config.redisPrefix)));
});
