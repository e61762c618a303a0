// Gates in the running product: the barrier publisher (MQTT) every decision goes out on, the
// shared plate reader, and continuous mode — a pipeline per gate that has a camera
// (gates-pipeline.ts), when `QLY_GATE_CAMERAS` is not 0. With several API servers each gate's pipeline runs in exactly one
// of them: a Redis lease per gate, renewed every sync; a server that dies loses it within 30 s.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { BarrierPublisher } from '../gates/barrier';
import { lazyPlateReader } from '../gates/reader';
import { GatePipeline } from './gates-pipeline';

const SYNC_EVERY_MS = 10_000;
const LEASE_MS = 30_000;

declare module 'fastify' {
  interface FastifyInstance {
    /** Re-reads which gates have cameras and starts/stops their pipelines now. */
    syncGates: () => Promise<void>;
  }
}

export const gatesPlugin = fp(async (app: FastifyInstance) => {
  const topicRoot = process.env.QLY_MQTT_TOPIC_ROOT ?? 'qly';
  const barrier = new BarrierPublisher(app.config.mqttUrl, topicRoot, (err) => app.log.warn({ err: err.message }, 'gate barrier mqtt'));
  app.decorate('gateBarrier', barrier);
  const reader = lazyPlateReader();
  app.decorate('plateReader', reader.get);
  app.addHook('onClose', reader.dispose);
  const pipelines = new Map<string, GatePipeline>();
  const owner = randomUUID();
  const leaseKey = (gateId: string) => `${app.config.redisPrefix}gate-pipeline:${gateId}`;
  const log = app.log.child({ part: 'gates' });

  const stopPipeline = async (gateId: string) => {
    const p = pipelines.get(gateId);
    pipelines.delete(gateId);
    await p?.stop();
    if ((await app.redis.get(leaseKey(gateId))) === owner) await app.redis.del(leaseKey(gateId));
  };

  const sync = async () => {
    if (!app.config.gateCameras) return;
    const { rows } = await app.db.query<{ id: string; camera_id: string }>('SELECT id, camera_id FROM gates WHERE camera_id IS NOT NULL');
    const wanted = new Map(rows.map((r) => [r.id, r.camera_id]));
    for (const [gateId, p] of pipelines) {
      const renewed = wanted.get(gateId) === p.cameraId && (await app.redis.get(leaseKey(gateId))) === owner && (await app.redis.pexpire(leaseKey(gateId), LEASE_MS));
      if (!renewed) await stopPipeline(gateId);
    }
    for (const [gateId, cameraId] of wanted) {
      if (pipelines.has(gateId)) continue;
      if ((await app.redis.set(leaseKey(gateId), owner, 'PX', LEASE_MS, 'NX')) !== 'OK') continue;
      const p = new GatePipeline(app, gateId, cameraId, log);
      pipelines.set(gateId, p);
      p.start();
    }
  };
  app.decorate('syncGates', sync);

  let timer: NodeJS.Timeout | null = null;
  app.addHook('onReady', async () => {
    barrier.connect();
    await sync().catch((err) => log.warn({ err }, 'gate pipeline sync failed'));
    timer = setInterval(() => void sync().catch((err) => log.warn({ err }, 'gate pipeline sync failed')), SYNC_EVERY_MS);
    timer.unref();
  });
  app.addHook('preClose', async () => {
    if (timer) clearInterval(timer);
    await Promise.all([...pipelines.keys()].map((id) => stopPipeline(id)));
    await barrier.close();
  });
  app.health.register('gates', async () => {
    const running = [...pipelines.values()].map((p) => p.stats);
    const blind = running.filter((s) => s.state === 'no-picture' || s.state === 'error').length;
    const status = !barrier.connected || blind ? 'degraded' : 'ok';
    return {
      status,
      detail: { continuous: app.config.gateCameras, barrierMqtt: barrier.connected ? 'connected' : 'disconnected', published: barrier.published, pipelines: running },
    };
  });
});
