// API keys for devices (gate barriers, alarm terminals). The key is shown once, at creation.
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { badRequest, notFound } from '../lib/http-error';
import { errorResponses, IdParams, Name, Page, PageQuery, Uuid } from '../lib/schemas';
import { isForeignKeyViolation, paginate } from '../lib/sql';
import { newDeviceKey } from '../lib/tokens';

const Kind = Type.Union([Type.Literal('gate'), Type.Literal('alarm')]);
const CreateDevice = Type.Object(
  { kind: Kind, name: Name, gateId: Type.Optional(Uuid), siteId: Type.Optional(Uuid) },
  { additionalProperties: false },
);
const DeviceOut = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  name: Type.String(),
  gateId: Type.Union([Type.String(), Type.Null()]),
  siteId: Type.Union([Type.String(), Type.Null()]),
  keyPrefix: Type.String(),
  createdAt: Type.String(),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const toDevice = (r: any) => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  gateId: r.gate_id,
  siteId: r.site_id,
  keyPrefix: r.key_prefix,
  createdAt: r.created_at.toISOString(),
  lastUsedAt: r.last_used_at?.toISOString() ?? null,
  revokedAt: r.revoked_at?.toISOString() ?? null,
});

/** Creates a device and returns its one-time key; used by the route and by the demo seed. */
export async function createDevice(app: FastifyInstance, d: Static<typeof CreateDevice>) {
  if (d.kind === 'gate' && !d.gateId) throw badRequest('A gate device needs gateId', 'validation');
  const key = newDeviceKey();
  const { rows } = await app.db
    .query(`INSERT INTO devices (kind, name, gate_id, site_id, key_prefix, key_hash) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`, [
      d.kind,
      d.name,
      d.gateId ?? null,
      d.siteId ?? null,
      key.prefix,
      key.hash,
    ])
    .catch((err) => {
      if (isForeignKeyViolation(err)) throw badRequest('Unknown gate or site', 'validation');
      throw err;
    });
  return { device: toDevice(rows[0]), key: key.key };
}

export default async function deviceRoutes(app: FastifyInstance) {
  const admin = { access: ['admin'] as const };
  app.get('/api/devices', { config: admin, schema: { tags: ['devices'], querystring: Type.Object(PageQuery, { additionalProperties: false }), response: { 200: Page(DeviceOut), ...errorResponses } } }, async (request) => {
    const q = request.query as { page?: number; pageSize?: number; q?: string };
    const where = q.q ? ['name ILIKE $1'] : [];
    return paginate(app.db, { from: 'devices', where, params: q.q ? [`%${q.q}%`] : [], orderBy: 'created_at DESC, id', page: q.page, pageSize: q.pageSize, map: toDevice });
  });
  app.post('/api/devices', { config: admin, schema: { tags: ['devices'], body: CreateDevice, response: { 201: Type.Object({ device: DeviceOut, key: Type.String() }), ...errorResponses } } }, async (request, reply) => {
    const created = await createDevice(app, request.body as Static<typeof CreateDevice>);
    await app.audit.write(request, { action: 'device.create', targetType: 'device', targetId: created.device.id });
    return reply.status(201).send(created);
  });
  app.post('/api/devices/:id/revoke', { config: admin, schema: { tags: ['devices'], params: IdParams, response: { 200: DeviceOut, ...errorResponses } } }, async (request) => {
    const { id } = request.params as { id: string };
    const { rows } = await app.db.query('UPDATE devices SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING *', [id]);
    if (!rows[0]) throw notFound('Device');
    app.deviceKeys.forget(id);
    await app.audit.write(request, { action: 'device.revoke', targetType: 'device', targetId: id });
    return toDevice(rows[0]);
  });
}
