// Alarm terminals' webhook (device key, role `alarm`), the rejected-alarm log, and alarm devices'
// location and preset SOS contacts.
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { HttpError, notFound } from '../lib/http-error';
import { errorResponses, IdParams } from '../lib/schemas';
import { actorOf } from '../incidents/actor';
import { AlarmFields, AlarmRejected } from '../incidents/alarms';
import { AlarmDeviceProfile, Contact } from '../incidents/schemas';
import { withTx } from '../incidents/tx';

const tags = ['alarms'];
const WebhookBody = Type.Object({ deviceId: Type.Optional(Type.String({ format: 'uuid' })), ...AlarmFields }, { additionalProperties: false });
const Accepted = Type.Object({ incidentId: Type.String(), number: Type.Integer(), status: Type.String(), duplicate: Type.Boolean() });
const REJECT_STATUS: Record<AlarmRejected['code'], number> = { malformed: 400, unknown_device: 403, stale: 422, future: 422 };
const Profile = Type.Object({ deviceId: Type.String(), location: Type.String(), x: Type.Union([Type.Number(), Type.Null()]), y: Type.Union([Type.Number(), Type.Null()]), contacts: Type.Array(Contact) });

export default async function alarmRoutes(app: FastifyInstance) {
  const intake = app.incidentRuntime.intake;

  app.post('/api/alarms', { config: { access: ['alarm'] }, schema: { tags, body: WebhookBody, response: { 200: Accepted, 201: Accepted, 422: errorResponses[400], ...errorResponses } } }, async (request, reply) => {
    const body = request.body as Static<typeof WebhookBody>;
    const p = request.principal;
    const deviceId = p?.kind === 'device' ? p.device.id : '';
    try {
      if (body.deviceId && body.deviceId.toLowerCase() !== deviceId) throw new AlarmRejected('malformed', 'deviceId does not match the device key');
      const { incident, created } = await intake.accept({ ...body, deviceId }, actorOf(request));
      return reply.status(created ? 201 : 200).send({ incidentId: incident.id, number: incident.number, status: incident.status, duplicate: !created });
    } catch (err) {
      if (!(err instanceof AlarmRejected)) throw err;
      await intake.reject('http', err, { deviceId, payload: JSON.stringify(body) });
      throw new HttpError(REJECT_STATUS[err.code], err.code === 'malformed' ? 'validation' : `alarm_${err.code}`, err.message);
    }
  });

  app.get(
    '/api/alarms/rejections',
    {
      config: { access: ['admin', 'operator'] },
      schema: {
        tags,
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })) }, { additionalProperties: false }),
        response: { 200: Type.Array(Type.Object({ id: Type.Integer(), at: Type.String(), channel: Type.String(), topic: Type.Union([Type.String(), Type.Null()]), deviceId: Type.Union([Type.String(), Type.Null()]), reason: Type.String(), payload: Type.String() })), ...errorResponses },
      },
    },
    async (request) => {
      const { rows } = await app.db.query('SELECT * FROM alarm_rejections ORDER BY id DESC LIMIT $1', [(request.query as { limit?: number }).limit ?? 50]);
      return rows.map((r) => ({ id: Number(r.id), at: r.at.toISOString(), channel: r.channel, topic: r.topic, deviceId: r.device_id, reason: r.reason, payload: r.payload }));
    },
  );

  async function profile(id: string) {
    const dev = (await app.db.query(`SELECT id, location, x, y FROM devices WHERE id = $1 AND kind = 'alarm'`, [id])).rows[0];
    if (!dev) throw notFound('Alarm device');
    const contacts = (await app.db.query('SELECT name, phone FROM device_contacts WHERE device_id = $1 ORDER BY position, name', [id])).rows;
    return { deviceId: dev.id, location: dev.location, x: dev.x, y: dev.y, contacts };
  }

  app.get('/api/alarms/devices/:id', { config: { access: ['admin', 'operator'] }, schema: { tags, params: IdParams, response: { 200: Profile, ...errorResponses } } }, async (request) =>
    profile((request.params as { id: string }).id),
  );

  app.put('/api/alarms/devices/:id', { config: { access: ['admin'] }, schema: { tags, params: IdParams, body: AlarmDeviceProfile, response: { 200: Profile, ...errorResponses } } }, async (request) => {
    const { id } = request.params as { id: string };
    const body = request.body as Static<typeof AlarmDeviceProfile>;
    await profile(id);
    await withTx(app.db, async (c) => {
      await c.query('UPDATE devices SET location = coalesce($2, location), x = CASE WHEN $5 THEN $3 ELSE x END, y = CASE WHEN $5 THEN $4 ELSE y END WHERE id = $1', [
        id,
        body.location ?? null,
        body.x ?? null,
        body.y ?? null,
        body.x !== undefined || body.y !== undefined,
      ]);
      if (body.contacts) {
        await c.query('DELETE FROM device_contacts WHERE device_id = $1', [id]);
        for (const [i, ct] of body.contacts.entries()) {
          await c.query('INSERT INTO device_contacts (device_id, name, phone, position) VALUES ($1, $2, $3, $4) ON CONFLICT (device_id, phone) DO NOTHING', [id, ct.name, ct.phone, i]);
        }
      }
    });
    await app.audit.write(request, { action: 'alarm_device.update', targetType: 'device', targetId: id, details: { contacts: body.contacts?.length ?? null } });
    return profile(id);
  });
}
