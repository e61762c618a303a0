// Camera registry. Credentials are sealed with the server key and never returned.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { registerCrud } from '../lib/crud';
import { Coord, Name, SafeText, Uuid } from '../lib/schemas';
import { seal } from '../lib/secret-box';

const Url = (protocols: string) => Type.String({ maxLength: 500, pattern: `^(${protocols})://[^\\s<>"]+$` });
const Nullable = (t: ReturnType<typeof Url>) => Type.Union([t, Type.Null()]);
const Status = Type.Union(['unknown', 'online', 'offline', 'auth_failed', 'unsupported'].map((s) => Type.Literal(s)));

export const CameraBody = Type.Object(
  {
    name: Name,
    siteId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    location: Type.Optional(SafeText(200)),
    area: Type.Optional(SafeText(100)),
    x: Type.Optional(Coord),
    y: Type.Optional(Coord),
    kind: Type.Optional(Type.Union([Type.Literal('onvif'), Type.Literal('rtsp'), Type.Literal('rtmp')])),
    onvifUrl: Type.Optional(Nullable(Url('https?'))),
    rtspMain: Type.Optional(Nullable(Url('rtsps?|rtmp'))),
    rtspSub: Type.Optional(Nullable(Url('rtsps?|rtmp'))),
    username: Type.Optional(Type.Union([SafeText(64), Type.Null()])),
    password: Type.Optional(Type.Union([Type.String({ maxLength: 128 }), Type.Null()])),
    ptz: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const CameraOut = Type.Object({
  id: Type.String(),
  siteId: Type.Union([Type.String(), Type.Null()]),
  name: Type.String(),
  location: Type.String(),
  area: Type.String(),
  x: Type.Number(),
  y: Type.Number(),
  kind: Type.String(),
  onvifUrl: Type.Union([Type.String(), Type.Null()]),
  rtspMain: Type.Union([Type.String(), Type.Null()]),
  rtspSub: Type.Union([Type.String(), Type.Null()]),
  username: Type.Union([Type.String(), Type.Null()]),
  hasPassword: Type.Boolean(),
  ptz: Type.Boolean(),
  status: Status,
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const toCamera = (r: any) => ({
  id: r.id,
  siteId: r.site_id,
  name: r.name,
  location: r.location,
  area: r.area,
  x: r.x,
  y: r.y,
  kind: r.kind,
  onvifUrl: r.onvif_url,
  rtspMain: r.rtsp_main,
  rtspSub: r.rtsp_sub,
  username: r.username,
  hasPassword: r.password_enc !== null,
  ptz: r.ptz,
  status: r.status,
  lastError: r.last_error,
  createdAt: r.created_at.toISOString(),
});

export default async function cameraRoutes(app: FastifyInstance) {
  registerCrud(app, {
    path: '/api/cameras',
    table: 'cameras',
    entity: 'camera',
    read: ['admin', 'operator'],
    write: ['admin'],
    columns: {
      name: 'name',
      siteId: 'site_id',
      location: 'location',
      area: 'area',
      x: 'x',
      y: 'y',
      kind: 'kind',
      onvifUrl: 'onvif_url',
      rtspMain: 'rtsp_main',
      rtspSub: 'rtsp_sub',
      username: 'username',
      passwordEnc: 'password_enc',
      ptz: 'ptz',
    },
    create: CameraBody,
    out: CameraOut,
    searchColumns: ['name', 'location', 'area'],
    filters: { siteId: { column: 'site_id', schema: Uuid }, status: { column: 'status', schema: Status } },
    beforeWrite: (b) => {
      if (b.password !== undefined) b.passwordEnc = b.password === null || b.password === '' ? null : seal(app.config.secretKey, String(b.password));
      delete b.password;
      return b;
    },
    toApi: toCamera,
  });
}
