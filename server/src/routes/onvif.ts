// Adding cameras the way installers do: discover (WS-Discovery) → credentials → profiles → save;
// and PTZ from the wall. Credentials are checked against the camera before anything is saved.
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { HttpError, notFound } from '../lib/http-error';
import { ErrorBody, errorResponses as baseErrors, IdParams, SafeText } from '../lib/schemas';
import { open } from '../lib/secret-box';
import { CameraAuthError, CameraUnreachableError, discover, OnvifCamera, type OnvifTarget } from '../onvif/client';

const errorResponses = { ...baseErrors, 422: ErrorBody, 502: ErrorBody };
const OnvifUrl = Type.String({ maxLength: 500, pattern: '^https?://[^\\s<>"]+$' });
const ProbeBody = Type.Object(
  { onvifUrl: OnvifUrl, username: SafeText(64), password: Type.String({ maxLength: 128 }) },
  { additionalProperties: false },
);
const Velocity = Type.Number({ minimum: -1, maximum: 1 });
const PtzBody = Type.Union([
  Type.Object({ action: Type.Literal('move'), x: Velocity, y: Velocity, zoom: Velocity }, { additionalProperties: false }),
  Type.Object({ action: Type.Literal('stop') }, { additionalProperties: false }),
  Type.Object({ action: Type.Literal('preset'), token: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' }) }, { additionalProperties: false }),
]);

async function withCamera<T>(target: OnvifTarget, fn: (cam: OnvifCamera) => Promise<T>): Promise<T> {
  try {
    return await fn(await OnvifCamera.connect(target));
  } catch (err) {
    if (err instanceof CameraAuthError) throw new HttpError(422, 'camera_auth_failed', err.message);
    if (err instanceof CameraUnreachableError) throw new HttpError(502, 'camera_unreachable', err.message);
    if (err instanceof HttpError) throw err;
    throw new HttpError(502, 'camera_error', `The camera answered with an error: ${String((err as Error).message ?? err).slice(0, 200)}`);
  }
}

export default async function onvifRoutes(app: FastifyInstance) {
  async function storedTarget(cameraId: string): Promise<OnvifTarget> {
    const { rows } = await app.db.query('SELECT onvif_url, username, password_enc, ptz FROM cameras WHERE id = $1', [cameraId]);
    const c = rows[0];
    if (!c) throw notFound('Camera');
    if (!c.onvif_url) throw new HttpError(409, 'not_onvif', 'This camera has no ONVIF address');
    return { onvifUrl: c.onvif_url, username: c.username ?? '', password: c.password_enc ? open(app.config.secretKey, c.password_enc) : '' };
  }

  app.get(
    '/api/discovery',
    { config: { access: ['admin'] }, schema: { tags: ['cameras'], querystring: Type.Object({ timeoutMs: Type.Optional(Type.Integer({ minimum: 200, maximum: 10_000 })) }, { additionalProperties: false }), response: errorResponses } },
    async (request) => {
      const { timeoutMs } = request.query as { timeoutMs?: number };
      const found = await discover(timeoutMs ?? 2000);
      const { rows } = await app.db.query<{ id: string; onvif_url: string }>('SELECT id, onvif_url FROM cameras WHERE onvif_url = ANY($1)', [found.map((f) => f.onvifUrl)]);
      const known = new Map(rows.map((r) => [r.onvif_url, r.id]));
      return { items: found.map((f) => ({ ...f, cameraId: known.get(f.onvifUrl) ?? null })) };
    },
  );

  app.post('/api/cameras/probe', { config: { access: ['admin'] }, schema: { tags: ['cameras'], body: ProbeBody, response: errorResponses } }, async (request) => {
    const body = request.body as Static<typeof ProbeBody>;
    const result = await withCamera(body, (cam) => cam.probe());
    await app.audit.write(request, { action: 'camera.probe', targetType: 'onvif', targetId: body.onvifUrl });
    return result;
  });

  app.get('/api/cameras/:id/presets', { config: { access: ['admin', 'operator'] }, schema: { tags: ['cameras'], params: IdParams, response: errorResponses } }, async (request) => {
    const target = await storedTarget((request.params as { id: string }).id);
    return { items: await withCamera(target, (cam) => cam.presets()) };
  });

  app.post('/api/cameras/:id/ptz', { config: { access: ['admin', 'operator'] }, schema: { tags: ['cameras'], params: IdParams, body: PtzBody, response: { 204: Type.Null(), ...errorResponses } } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const body = request.body as Static<typeof PtzBody>;
    const target = await storedTarget(id);
    await withCamera(target, (cam) => (body.action === 'move' ? cam.move(body.x, body.y, body.zoom) : body.action === 'stop' ? cam.stop() : cam.gotoPreset(body.token)));
    await app.audit.write(request, { action: `camera.ptz.${body.action}`, targetType: 'camera', targetId: id });
    return reply.status(204).send();
  });
}
