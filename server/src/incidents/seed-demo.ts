// Demo data for incidents: an SOS terminal with a known id and key and a resident's contacts, so
// the demo can raise an alarm with mosquitto_pub. Idempotent, like the core demo seed.
import type { FastifyInstance } from 'fastify';
import { sha256 } from '../lib/tokens';

export const DEMO_SOS_DEVICE_ID = '5a05d1e0-0000-4000-8000-00000000505a';
export const DEMO_SOS_KEY = 'qlyk_demosos_4b7e2a9c1d3f5e6a7b8c9d0e';

export async function seedIncidentDemo(app: FastifyInstance, siteId: string | null): Promise<{ deviceId: string; key: string; mosquittoPub: string }> {
  await app.db.query(
    `INSERT INTO devices (id, kind, name, site_id, key_prefix, key_hash, location, x, y)
     VALUES ($1, 'alarm', '安康通一键求助 5 栋 301', $2, 'demosos', $3, '幸福里 5 栋 301（独居老人）', 410, 300)
     ON CONFLICT (id) DO NOTHING`,
    [DEMO_SOS_DEVICE_ID, siteId, sha256(DEMO_SOS_KEY)],
  );
  await app.db.query(
    `INSERT INTO device_contacts (device_id, name, phone, position) VALUES ($1, '儿子 王磊', '13700000009', 0), ($1, '社区网格员 刘芳', '13700000010', 1)
     ON CONFLICT (device_id, phone) DO NOTHING`,
    [DEMO_SOS_DEVICE_ID],
  );
  const root = process.env.QLY_MQTT_TOPIC_ROOT ?? 'qly';
  const mosquittoPub =
    `mosquitto_pub -h 127.0.0.1 -q 1 -t ${root}/alarms/${DEMO_SOS_DEVICE_ID} ` +
    `-m '{"deviceId":"${DEMO_SOS_DEVICE_ID}","eventId":"demo-'$(date +%s)'","type":"sos","time":"'$(date -u +%FT%TZ)'"}'`;
  return { deviceId: DEMO_SOS_DEVICE_ID, key: DEMO_SOS_KEY, mosquittoPub };
}
