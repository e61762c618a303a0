// Body cameras and phones push RTMP. A camera of kind `rtmp` in the registry has
// rtspMain = rtmp://<this host>:<port>/live/<key>; only those keys may publish, and the camera's
// stream then reads its own push back like any other camera (one ingest, LL-HLS, WebRTC, analytics).
import type { FastifyInstance } from 'fastify';
import { RtmpIngestServer } from '../../../media/src';

const KEY_REFRESH_MS = 5000;

export async function startRtmpIngest(app: FastifyInstance): Promise<RtmpIngestServer | null> {
  const port = app.config.rtmpPort;
  if (!port) return null;
  let keys = new Set<string>();
  const loadKeys = async () => {
    const { rows } = await app.db.query<{ rtsp_main: string }>(`SELECT rtsp_main FROM cameras WHERE kind = 'rtmp' AND rtsp_main LIKE 'rtmp%'`);
    keys = new Set(rows.map((r) => r.rtsp_main.split('?')[0].split('/').pop() ?? '').filter(Boolean));
  };
  await loadKeys();
  const rtmp = new RtmpIngestServer({ port, host: app.config.rtmpHost, authorizePublish: (key) => keys.has(key) });
  rtmp.on('rejected', (e) => {
    app.log.warn({ key: e.key.slice(0, 4) + '…', remoteAddress: e.remoteAddress, reason: e.reason }, 'RTMP push refused');
    // A camera added a moment ago: pick its key up for the pusher's retry.
    void loadKeys().catch(() => {});
  });
  try {
    await rtmp.start();
  } catch (err) {
    // Port taken, or another app in this process already runs node-media-server (it is global):
    // the rest of the product works without RTMP; health shows it.
    app.log.warn({ err: (err as Error).message, port }, 'RTMP ingest not started');
    app.health.register('rtmp', async () => ({ status: 'degraded', detail: `not started: ${(err as Error).message}` }));
    return null;
  }
  const timer = setInterval(() => void loadKeys().catch((err) => app.log.warn({ err }, 'RTMP key refresh failed')), KEY_REFRESH_MS);
  timer.unref();
  app.addHook('preClose', async () => {
    clearInterval(timer);
    await rtmp.stop();
  });
  return rtmp;
}
