// Live video in the control plane: one MediaNode (ingest + LL-HLS + snapshots) and, when the
// mediasoup worker is available, an SFU for WebRTC. Streams are assigned from the camera
// registry on demand; every media request and WebRTC join is checked by the stream guard
// (signed, expiring tokens bound to the session — see server/src/parents).
import os from 'node:os';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { MediaNode, mediaHttpPlugin, type StreamStatus } from '../../../media/src';
import { SignalError, SignalSession, Sfu } from '../../../media/src/webrtc';
import { HttpError, notFound } from '../lib/http-error';
import { open } from '../lib/secret-box';
import { errorResponses, IdParams } from '../lib/schemas';
import { createStreamAuthorizer } from '../parents';
import { parseStreamId, sourceUrl, streamIdOf, type Profile } from './stream-ids';
import { startRtmpIngest } from './rtmp';
import { WebRtcRooms } from './webrtc-rooms';

declare module 'fastify' {
  interface FastifyInstance {
    media: MediaNode;
    webrtc: WebRtcRooms | null;
    /** Tells the media node where a camera stream comes from (false: no such camera or URL). */
    /** The stream is on this media node: known already, or assigned now from the camera registry. */
    ensureStream: (streamId: string) => Promise<boolean>;
  }
}

const STAFF = ['admin', 'operator'] as const;
// Parents play LL-HLS only: a WebRTC consumer is not yet re-checked by the stream guard after it
// joins, so it could outlive closing time (see server/README.md, Parents).
const WEBRTC_VIEWERS = STAFF;
const CAMERA_STATUS: Partial<Record<StreamStatus['state'], string>> = { live: 'online', offline: 'offline', unsupported_codec: 'unsupported' };

export const streamsPlugin = fp(async (app: FastifyInstance) => {
  const node = new MediaNode({ id: `node-${os.hostname()}`, address: `http://${app.config.host}:${app.config.port}`, idleStopMs: app.config.mediaIdleStopMs });
  app.decorate('media', node);

  let rooms: WebRtcRooms | null = null;
  let webrtcError: string | null = null;
  if (app.config.webrtc) {
    try {
      const { webrtcListenIp, webrtcAnnouncedIp, webrtcPorts } = app.config;
      const sfu = await Sfu.start({ listenIp: webrtcListenIp, announcedAddress: webrtcAnnouncedIp, portRange: webrtcPorts });
      rooms = new WebRtcRooms(node, sfu, app.log.child({ component: 'webrtc' }));
    } catch (err) {
      webrtcError = (err as Error).message;
      app.log.warn({ err: webrtcError }, 'WebRTC disabled; walls fall back to LL-HLS');
    }
  }
  app.decorate('webrtc', rooms);
  app.addHook('onClose', async () => {
    await rooms?.close();
    await node.close();
  });

  const rtmp = await startRtmpIngest(app);
  app.health.register('media', async () => {
    const info = node.info();
    const failing = info.streams.filter((s) => s.state === 'offline' || s.state === 'reconnecting').length;
    return { status: failing ? 'degraded' : 'ok', detail: { node: info.id, load: info.load, capacity: info.capacity, failing, rtmpPublishing: rtmp?.publishing().length ?? null } };
  });
  app.health.register('webrtc', async () =>
    rooms ? { status: 'ok', detail: rooms.sfu.stats() } : { status: app.config.webrtc ? 'degraded' : 'ok', detail: webrtcError ?? 'disabled' },
  );

  /** Known to the node, or assigned now from the registry (credentials decrypted here only). */
  async function ensure(streamId: string): Promise<boolean> {
    if (node.isKnown(streamId)) return true;
    const parsed = parseStreamId(streamId);
    if (!parsed) return false;
    const { rows } = await app.db.query('SELECT rtsp_main, rtsp_sub, username, password_enc FROM cameras WHERE id = $1', [parsed.cameraId]);
    const cam = rows[0];
    const url = cam && (parsed.profile === 'sub' ? cam.rtsp_sub ?? cam.rtsp_main : cam.rtsp_main);
    if (!url) return false;
    const password = cam.password_enc ? open(app.config.secretKey, cam.password_enc) : null;
    node.assign(streamId, { url: sourceUrl(url, cam.username, password), rtspTransport: 'tcp', profile: parsed.profile });
    return true;
  }

  app.decorate('ensureStream', ensure);

  // Stream state → camera status in the registry and a push to the wall.
  node.on('status', (s) => {
    const parsed = parseStreamId(s.streamId);
    if (!parsed) return;
    void app.live.publish('stream.status', s).catch(() => {});
    const status = CAMERA_STATUS[s.state];
    if (!status) return;
    void app.db
      .query(`UPDATE cameras SET status = $2, last_error = $3, last_seen_at = CASE WHEN $2 = 'online' THEN now() ELSE last_seen_at END WHERE id = $1 AND (status <> $2 OR last_error IS DISTINCT FROM $3)`, [
        parsed.cameraId,
        status,
        s.lastError,
      ])
      .catch((err) => app.log.warn({ err }, 'camera status update failed'));
  });

  const authorize = createStreamAuthorizer(app);
  await app.register(mediaHttpPlugin, {
    node,
    authorize: async (request, streamId) => {
      const verdict = await authorize(request, streamId);
      if (verdict === true && !(await ensure(streamId))) return { status: 404, error: 'unknown_stream', message: 'No such camera stream' };
      return verdict;
    },
    viewerKey: (request) => (request.principal?.kind === 'user' ? request.principal.user.id : request.ip),
  });

  app.get(
    '/api/streams',
    { config: { access: ['admin', 'operator'] }, schema: { tags: ['streams'], response: errorResponses } },
    async () => ({ node: node.info(), webrtc: rooms ? rooms.sfu.stats() : null }),
  );

  app.get(
    '/api/cameras/:id/streams',
    {
      // Estate staff ask it for their gate camera (the gate desk's player); the stream guard
      // decides, as it will again for the token and every media request.
      config: { access: [...STAFF, 'estate'] },
      schema: { tags: ['streams'], params: IdParams, response: errorResponses },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const user = request.principal?.kind === 'user' ? request.principal.user : null;
      // Another estate's camera answers as an unknown one, like every by-id route of theirs.
      if (user?.role === 'estate' && !(await app.parents.access.decide(user, streamIdOf(id, 'main'), new Date())).ok) throw notFound('Camera');
      const { rows } = await app.db.query('SELECT id, rtsp_sub, status, last_error FROM cameras WHERE id = $1', [id]);
      if (!rows[0]) throw notFound('Camera');
      const profiles: Profile[] = rows[0].rtsp_sub ? ['main', 'sub'] : ['main'];
      return {
        cameraId: id,
        status: rows[0].status,
        lastError: rows[0].last_error,
        webrtc: rooms !== null,
        streams: profiles.map((profile) => {
          const streamId = streamIdOf(id, profile);
          return { profile, streamId, llHls: `/media/streams/${streamId}/ll.m3u8`, hls: `/media/streams/${streamId}/index.m3u8`, snapshot: `/media/streams/${streamId}/snapshot.jpg`, status: node.status(streamId) ?? null };
        }),
      };
    },
  );

  // WebRTC signalling over /api/ws: { method: 'webrtc', params: { signal: { method, params }, token? } }.
  const sessions = new Map<string, SignalSession>();
  app.live.onDisconnect((ctx) => {
    sessions.get(ctx.socketId)?.close();
    sessions.delete(ctx.socketId);
  });
  const SignalEnvelope = Type.Object({ signal: Type.Object({ method: Type.String(), params: Type.Optional(Type.Unknown()) }), token: Type.Optional(Type.String({ maxLength: 2048 })) });
  app.live.handle('webrtc', WEBRTC_VIEWERS, async (ctx, raw) => {
    if (!rooms) throw new HttpError(503, 'webrtc_unavailable', webrtcError ?? 'WebRTC is disabled');
    if (!Value.Check(SignalEnvelope, raw)) throw new HttpError(400, 'bad_request', 'Expected { signal: { method, params }, token }');
    const { signal, token } = raw as { signal: { method: string; params?: { streamId?: unknown } }; token?: string };
    let session = sessions.get(ctx.socketId);
    if (!session) {
      session = new SignalSession(rooms.sfu, {
        // Checked below with the token before each createTransport reaches the session.
        authorize: () => true,
        resolveStream: async (streamId) => {
          if (!(await ensure(streamId))) return undefined;
          return rooms!.room(streamId);
        },
      });
      sessions.set(ctx.socketId, session);
    }
    if (signal.method === 'createTransport') {
      const streamId = String(signal.params?.streamId ?? '');
      const verdict = await app.parents.check({ principal: ctx.principal, ip: ctx.ip }, streamId, token);
      if (verdict !== true) throw new HttpError(verdict.status, verdict.error, verdict.message);
    }
    try {
      return await session.handle(signal);
    } catch (err) {
      if (err instanceof SignalError) throw new HttpError(err.code === 'forbidden' ? 403 : err.code === 'not-found' ? 404 : err.code === 'busy' ? 503 : 400, err.code, err.message);
      throw err;
    }
  });
});
