// Camera health for the wall and the registry: every camera with an ONVIF address is asked
// (GetSystemDateAndTime + an authenticated call) on a timer, so a wrong password or a camera that
// went away shows before anyone opens its stream. A camera whose stream is running gets its
// status from the stream instead.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { open } from '../lib/secret-box';
import { streamIdOf } from '../streams/stream-ids';
import { CameraAuthError, OnvifCamera } from './client';

interface Row {
  id: string;
  onvif_url: string;
  username: string | null;
  password_enc: Buffer | null;
  status: string;
  last_error: string | null;
}

const CONCURRENCY = 4;

export async function pollCameras(app: FastifyInstance): Promise<number> {
  const { rows } = await app.db.query<Row>('SELECT id, onvif_url, username, password_enc, status, last_error FROM cameras WHERE onvif_url IS NOT NULL');
  const live = (id: string) => (['main', 'sub'] as const).some((p) => app.media?.status(streamIdOf(id, p))?.state === 'live');
  let changed = 0;
  const queue = rows.filter((r) => !live(r.id));
  const worker = async () => {
    for (let r = queue.shift(); r; r = queue.shift()) {
      let status = 'online';
      let error: string | null = null;
      try {
        await OnvifCamera.connect({ onvifUrl: r.onvif_url, username: r.username ?? '', password: r.password_enc ? open(app.config.secretKey, r.password_enc) : '' }, 4000);
      } catch (err) {
        status = err instanceof CameraAuthError ? 'auth_failed' : 'offline';
        error = (err as Error).message;
      }
      if (status === r.status && error === r.last_error) continue;
      changed++;
      await app.db.query(`UPDATE cameras SET status = $2, last_error = $3, last_seen_at = CASE WHEN $2 = 'online' THEN now() ELSE last_seen_at END WHERE id = $1`, [r.id, status, error]);
      await app.live.publish('camera.status', { cameraId: r.id, status, lastError: error });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return changed;
}

export const cameraHealthPlugin = fp(async (app: FastifyInstance) => {
  const every = app.config.cameraPollMs;
  if (!every) return;
  let running: Promise<unknown> | null = null;
  const tick = () => {
    running ??= pollCameras(app)
      .catch((err) => app.log.warn({ err }, 'camera health poll failed'))
      .finally(() => {
        running = null;
      });
  };
  let timer: NodeJS.Timeout | null = null;
  app.addHook('onReady', async () => {
    tick();
    timer = setInterval(tick, every);
    timer.unref();
  });
  app.addHook('preClose', async () => {
    if (timer) clearInterval(timer);
    await running;
  });
});
