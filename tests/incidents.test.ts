// Incidents end to end on real PostgreSQL, Redis and Mosquitto: alarm intake (HTTP + MQTT),
// duplicates, bad input, lifecycle, team isolation, photos, escalation and SOS contacts.
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { publishEvent } from '../server/src/incidents/events';
import { seedIncidentDemo } from '../server/src/incidents/seed-demo';
import { startTestApp, type TestApp } from './support/app';
import { alarm, api, createAlarmDevice, listenLive, mqttPublisher, testTopicRoot, waitFor, type LiveListener } from './incidents-support';

const ROOT = testTopicRoot('inc');
process.env.QLY_MQTT_TOPIC_ROOT = ROOT;
process.env.QLY_ACK_SECONDS = '2';
process.env.QLY_PHOTO_MAX_BYTES = String(64 * 1024);
process.env.QLY_RECONCILE_MS = '60000';

let t: TestApp;
let op: string;
let p1: string;
let p2: string;
let pub: MqttClient;
let device: { id: string; key: string };
let opLive: LiveListener;

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(1000, 1), Buffer.from([0xff, 0xd9])]);

async function postAlarm(key: string, body: unknown) {
  const res = await fetch(`${t.url}/api/alarms`, { method: 'POST', headers: { 'x-device-key': key, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}
const incidentCount = async () => Number((await t.app.db.query('SELECT count(*) FROM incidents')).rows[0].count);
const rejections = async () => (await t.app.db.query('SELECT reason FROM alarm_rejections ORDER BY id')).rows.map((r) => r.reason as string);
const transition = (cookie: string, id: string, action: string, note?: string) => api(t.url, cookie, 'POST', `/api/incidents/${id}/transitions`, { action, ...(note ? { note } : {}) });

beforeAll(async () => {
  t = await startTestApp({ label: 'incidents' });
  [op, p1, p2] = await Promise.all([t.login('operator', 'qly-operator-2026'), t.login('patrol1', 'qly-patrol-2026'), t.login('patrol2', 'qly-patrol-2026')]);
  device = await createAlarmDevice(t.app.db, { siteId: t.seed.sites.estate, contacts: [{ name: '女儿 陈红', phone: '13700000001' }, { name: '社区网格员', phone: '13700000002' }] });
  pub = await mqttPublisher();
  opLive = await listenLive(t.url, op);
});
afterAll(async () => {
  opLive?.close();
  await pub?.endAsync();
  await t?.close();
});

describe('alarm intake over HTTP', () => {
  it('turns an SOS into an incident dispatched to the nearest team, and merges a retry', async () => {
    const body = alarm(device.id, 'sos');
    const first = await postAlarm(device.key, body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ duplicate: false, status: 'dispatched' });
    const again = await postAlarm(device.key, body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicate: true, incidentId: first.body.incidentId });
    const detail = await api(t.url, op, 'GET', `/api/incidents/${first.body.incidentId}`);
    expect(detail.body.incident).toMatchObject({ type: 'sos', priority: 1, teamId: t.seed.teams['城管机动一队'], duplicates: 1, location: '幸福里 3 栋 502' });
    expect(detail.body.timeline.map((e: { action: string }) => e.action)).toEqual(['created', 'contacts_notified', 'dispatched', 'duplicate_merged']);
    // The resident's family is told through the notifier (log driver here), once each.
    const sent = await waitFor('notifications sent', async () => {
      const { rows } = await t.app.db.query(`SELECT recipient_phone, status, attempts FROM notifications WHERE incident_id = $1 ORDER BY recipient_phone`, [first.body.incidentId]);
      return rows.every((r) => r.status === 'sent') && rows.length === 2 && rows;
    });
    expect(sent.map((r) => [r.recipient_phone, r.attempts])).toEqual([['13700000001', 1], ['13700000002', 1]]);
    await transition(op, first.body.incidentId, 'cancel');
  });

  it('refuses bad alarms with a clear error and changes nothing', async () => {
    const before = await incidentCount();
    expect((await postAlarm(device.key, { ...alarm(device.id, 'sos'), type: 'fire' })).status).toBe(400);
    expect((await postAlarm(device.key, { ...alarm(device.id, 'sos'), time: new Date(Date.now() - 2 * 86400_000).toISOString() })).body.error).toBe('alarm_stale');
    expect((await postAlarm(device.key, { ...alarm(device.id, 'sos'), time: new Date(Date.now() + 3600_000).toISOString() })).status).toBe(422);
    expect((await postAlarm(device.key, { ...alarm(device.id, 'sos'), deviceId: '00000000-0000-4000-8000-000000000000' })).status).toBe(400);
    expect((await postAlarm('qlyk_nope_nope', alarm(device.id, 'sos'))).status).toBe(401);
    // A gate's key is a device key too, but not an alarm terminal's.
    expect((await postAlarm(t.seed.gateKey, alarm(device.id, 'sos'))).status).toBe(403);
    expect(await incidentCount()).toBe(before);
  });
});

describe('alarm intake over MQTT', () => {
  it('stores an alarm once however often it is delivered', async () => {
    const body = alarm(device.id, 'smoke');
    const topic = `${ROOT}/alarms/${device.id}`;
    for (let i = 0; i < 3; i++) await pub.publishAsync(topic, JSON.stringify(body), { qos: 1 });
    const row = await waitFor('mqtt incident', async () => (await t.app.db.query(`SELECT * FROM incidents WHERE dedup_key = $1 AND duplicates = 2`, [`alarm:${device.id}:${body.eventId}`])).rows[0]);
    expect(row).toMatchObject({ type: 'smoke', source: 'alarm', priority: 1, status: 'dispatched' });
    const pushed = await opLive.next('incident.created', (d) => d.incident.id === row.id);
    expect(pushed.incident.cameraId).toBeNull(); // no cameras in this district yet
    await transition(op, row.id, 'cancel');
  });

  it('takes the demo SOS sent with the documented mosquitto_pub command', async () => {
    const demo = await seedIncidentDemo(t.app, t.seed.sites.estate);
    await seedIncidentDemo(t.app, t.seed.sites.estate); // idempotent
    await promisify(execFile)('bash', ['-c', demo.mosquittoPub]);
    const row = await waitFor('demo incident', async () => (await t.app.db.query(`SELECT * FROM incidents WHERE device_id = $1`, [demo.deviceId])).rows[0]);
    expect(row).toMatchObject({ type: 'sos', location: '幸福里 5 栋 301（独居老人）', x: 410, y: 300, status: 'dispatched' });
    await transition(op, row.id, 'cancel');
  });

  it('logs and drops malformed payloads, unknown devices and replays', async () => {
    const before = await incidentCount();
    const n = (await rejections()).length;
    const unknown = '11111111-2222-4333-8444-555555555555';
    await pub.publishAsync(`${ROOT}/alarms/${device.id}`, 'not json {', { qos: 1 });
    await pub.publishAsync(`${ROOT}/alarms/${device.id}`, JSON.stringify({ ...alarm(device.id, 'gas'), extra: 1 }), { qos: 1 });
    await pub.publishAsync(`${ROOT}/alarms/${unknown}`, JSON.stringify(alarm(unknown, 'gas')), { qos: 1 });
    await pub.publishAsync(`${ROOT}/alarms/${device.id}`, JSON.stringify(alarm(unknown, 'gas')), { qos: 1 });
    await pub.publishAsync(`${ROOT}/alarms/not-a-uuid`, JSON.stringify(alarm(device.id, 'gas')), { qos: 1 });
    await pub.publishAsync(`${ROOT}/alarms/${device.id}`, JSON.stringify({ ...alarm(device.id, 'gas'), time: '2020-01-01T00:00:00Z' }), { qos: 1 });
    const reasons = await waitFor('6 rejections', async () => {
      const r = await rejections();
      return r.length >= n + 6 && r.slice(n);
    });
    // Parallel intake lanes store them in any order.
    expect(reasons.map((r) => r.split(':')[0]).sort()).toEqual(['malformed', 'malformed', 'malformed', 'malformed', 'stale', 'unknown_device']);
    expect(reasons.some((r) => r.includes('not JSON'))).toBe(true);
    expect(await incidentCount()).toBe(before);
    const listed = await api(t.url, op, 'GET', '/api/alarms/rejections?limit=3');
    expect(listed.body).toHaveLength(3);
  });
});

describe('lifecycle and team isolation', () => {
  it('walks an incident through its statuses with an append-only log', async () => {
    const created = await api(t.url, op, 'POST', '/api/incidents', { type: 'stall', title: '地铁口占道经营', siteId: t.seed.sites.street, description: '两个摊位' });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.body).toMatchObject({ status: 'new', priority: 3, source: 'operator', x: 100, y: 120 });
    const sugg = await api(t.url, op, 'GET', `/api/incidents/${id}/suggestions`);
    expect(sugg.body[0].name).toBe('城管机动一队');
    const p1Live = await listenLive(t.url, p1);
    const p2Live = await listenLive(t.url, p2);
    try {
      expect((await api(t.url, op, 'POST', `/api/incidents/${id}/dispatch`, { teamId: t.seed.teams['城管机动一队'] })).body.status).toBe('dispatched');
      const push = await p1Live.next('incident.dispatched', (d) => d.incident.id === id);
      expect(push.dispatch.teamName).toBe('城管机动一队');

      // Another team's patrol can neither see nor act on it.
      expect((await api(t.url, p2, 'GET', `/api/incidents/${id}`)).status).toBe(403);
      expect((await transition(p2, id, 'acknowledge')).status).toBe(403);
      expect((await api(t.url, p2, 'GET', '/api/incidents')).body.items.find((i: { id: string }) => i.id === id)).toBeUndefined();
      expect(p2Live.events.find((e) => (e.data as { incident?: { id: string } }).incident?.id === id)).toBeUndefined();
      // The own team: illegal jumps are 409, patrols may not close or dispatch.
      expect((await transition(p1, id, 'resolve')).status).toBe(409);
      expect((await transition(p1, id, 'close')).status).toBe(403);
      expect((await api(t.url, p1, 'POST', `/api/incidents/${id}/dispatch`, { teamId: t.seed.teams['社区巡逻队'] })).status).toBe(403);
      expect((await transition(p1, id, 'acknowledge')).body.status).toBe('acknowledged');
      expect((await transition(p1, id, 'acknowledge')).status).toBe(409);
      expect((await transition(p1, id, 'arrive')).body.status).toBe('on_scene');
      const resolved = await transition(p1, id, 'resolve', '摊主已劝离');
      expect(resolved.body).toMatchObject({ status: 'resolved' });
      expect(resolved.body.sla.ack.state).toBe('met');
      expect((await transition(op, id, 'close')).body.status).toBe('closed');
      expect((await transition(op, id, 'cancel')).status).toBe(409);
    } finally {
      p1Live.close();
      p2Live.close();
    }
    const detail = await api(t.url, op, 'GET', `/api/incidents/${id}`);
    expect(detail.body.timeline.map((e: { action: string; toStatus: string | null }) => `${e.action}>${e.toStatus}`)).toEqual([
      'created>new',
      'dispatched>dispatched',
      'acknowledge>acknowledged',
      'arrive>on_scene',
      'resolve>resolved',
      'close>closed',
    ]);
    const resolve = detail.body.timeline[4];
    expect(resolve).toMatchObject({ actorKind: 'patrol', actorName: '城管队员 李强', data: { note: '摊主已劝离' } });
    expect(resolve.address).toBe('127.0.0.1');
    expect(detail.body.dispatches).toMatchObject([{ status: 'acknowledged', teamName: '城管机动一队', attempt: 1 }]);
    const audit = await t.app.db.query(`SELECT action, outcome FROM audit_log WHERE target_id = $1 ORDER BY id`, [id]);
    expect(audit.rows.map((r) => `${r.action}:${r.outcome}`)).toContain('incident.acknowledge:denied');
    // The log is append-only in the sense that no API changes it: the report sees the timings.
    const report = await api(t.url, op, 'GET', `/api/incidents/report?from=${new Date(Date.now() - 3600_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`);
    expect(report.body.rows.find((r: { type: string }) => r.type === 'stall')).toMatchObject({ total: 1, ackWithinSlaPct: 100 });
  });

  it('rejects bad create and dispatch requests', async () => {
    expect((await api(t.url, op, 'POST', '/api/incidents', { type: 'stall', title: '<script>' })).status).toBe(400);
    expect((await api(t.url, op, 'POST', '/api/incidents', { type: 'stall', cameraId: '00000000-0000-4000-8000-000000000000' })).status).toBe(400);
    expect((await api(t.url, p1, 'POST', '/api/incidents', { type: 'stall' })).status).toBe(403);
    const id = (await api(t.url, op, 'POST', '/api/incidents', { type: 'intrusion', x: 10, y: 10 })).body.id;
    expect((await api(t.url, op, 'POST', `/api/incidents/${id}/dispatch`, { teamId: '00000000-0000-4000-8000-000000000000' })).status).toBe(400);
    expect((await transition(op, id, 'explode')).status).toBe(400);
    expect((await api(t.url, op, 'GET', `/api/incidents/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    await transition(op, id, 'cancel');
  });
});

describe('photos', () => {
  let id: string;
  beforeAll(async () => {
    id = (await api(t.url, op, 'POST', '/api/incidents', { type: 'stall', siteId: t.seed.sites.street })).body.id;
    await api(t.url, op, 'POST', `/api/incidents/${id}/dispatch`, { teamId: t.seed.teams['城管机动一队'] });
  });
  const upload = (cookie: string, data: Buffer, filename: string, type: string, kind = 'resolution') => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(data)], { type }), filename);
    return fetch(`${t.url}/api/incidents/${id}/photos?kind=${kind}`, { method: 'POST', headers: { cookie }, body: form });
  };

  it('stores a JPEG from the assigned patrol and serves it back', async () => {
    const res = await upload(p1, JPEG, 'scene.jpg', 'image/jpeg');
    expect(res.status).toBe(201);
    const photo = await res.json();
    expect(photo).toMatchObject({ kind: 'resolution', mime: 'image/jpeg', bytes: JPEG.length });
    const back = await fetch(t.url + photo.url, { headers: { cookie: p1 } });
    expect(back.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await back.arrayBuffer()).equals(JPEG)).toBe(true);
    expect((await fetch(t.url + photo.url, { headers: { cookie: p2 } })).status).toBe(403);
  });

  it('refuses oversized photos, non-images and other teams', async () => {
    const big = Buffer.concat([JPEG.subarray(0, 4), Buffer.alloc(70 * 1024)]);
    const tooBig = await upload(p1, big, 'big.jpg', 'image/jpeg');
    expect(tooBig.status).toBe(413);
    const fake = await upload(p1, Buffer.from('<?php echo 1; ?>'), 'x.jpg', 'image/jpeg');
    expect(fake.status).toBe(415);
    expect((await fake.json()).error).toBe('unsupported_media_type');
    const json = await fetch(`${t.url}/api/incidents/${id}/photos`, { method: 'POST', headers: { cookie: p1, 'content-type': 'application/json' }, body: '{}' });
    expect(json.status).toBe(415);
    expect((await upload(p2, JPEG, 'a.jpg', 'image/jpeg')).status).toBe(403);
    const { rows } = await t.app.db.query('SELECT count(*)::int AS n FROM incident_photos WHERE incident_id = $1', [id]);
    expect(rows[0].n).toBe(1);
  });
});

describe('escalation', () => {
  it('re-dispatches to the next team once per missed deadline and alerts the supervisor', async () => {
    const dev = await createAlarmDevice(t.app.db, { x: 150, y: 170 });
    const res = await postAlarm(dev.key, { ...alarm(dev.id, 'gas'), location: { x: 150, y: 170 } });
    const id = res.body.incidentId;
    const alert = await opLive.next('incident.escalated', (d) => d.incident.id === id, 8000);
    const firstTeam = (await t.app.db.query(`SELECT team_id FROM dispatches WHERE incident_id = $1 AND attempt = 1`, [id])).rows[0].team_id;
    expect(alert.fromTeamId).toBe(firstTeam);
    expect(alert.toTeamId).not.toBe(alert.fromTeamId);
    // Three teams, three attempts: after the last one only the supervisor is left.
    await waitFor('three escalations', async () => (await t.app.db.query(`SELECT count(*)::int AS n FROM dispatches WHERE incident_id = $1 AND status = 'escalated'`, [id])).rows[0].n === 3, 15_000);
    await new Promise((r) => setTimeout(r, 2500));
    const { rows } = await t.app.db.query(`SELECT attempt, status FROM dispatches WHERE incident_id = $1 ORDER BY attempt`, [id]);
    expect(rows).toEqual([
      { attempt: 1, status: 'escalated' },
      { attempt: 2, status: 'escalated' },
      { attempt: 3, status: 'escalated' },
    ]);
    const esc = await t.app.db.query(`SELECT data FROM incident_events WHERE incident_id = $1 AND action = 'escalated' ORDER BY id`, [id]);
    expect(esc.rows).toHaveLength(3);
    for (const e of esc.rows) expect(e.data.lateMs).toBeLessThan(3000);
    const teams = new Set((await t.app.db.query(`SELECT team_id FROM dispatches WHERE incident_id = $1`, [id])).rows.map((r) => r.team_id));
    expect(teams.size).toBe(3);
    // Running the escalation again (a redelivered job) does nothing.
    const first = (await t.app.db.query(`SELECT id FROM dispatches WHERE incident_id = $1 AND attempt = 1`, [id])).rows[0].id;
    expect(await t.app.incidents.escalate(first)).toMatchObject({ kind: 'noop' });
    await transition(op, id, 'cancel');
  });

  it('does not escalate an acknowledged dispatch', async () => {
    const dev = await createAlarmDevice(t.app.db, { x: 150, y: 170 });
    const id = (await postAlarm(dev.key, { ...alarm(dev.id, 'smoke'), location: { x: 145, y: 165 } })).body.incidentId;
    const inc = (await api(t.url, op, 'GET', `/api/incidents/${id}`)).body.incident;
    const cookie = inc.teamId === t.seed.teams['城管机动一队'] ? p1 : inc.teamId === t.seed.teams['社区巡逻队'] ? p2 : op;
    expect((await transition(cookie, id, 'acknowledge')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 3000));
    const { rows } = await t.app.db.query(`SELECT status FROM dispatches WHERE incident_id = $1`, [id]);
    expect(rows).toEqual([{ status: 'acknowledged' }]);
    await transition(op, id, 'cancel');
  });
});

describe('analytics events', () => {
  it('publishEvent creates one incident per dedup key', async () => {
    const cam = (await t.app.db.query(`INSERT INTO cameras (name, site_id, location, x, y) VALUES ('地铁A口 1 号', $1, '北京街 地铁A口', 110, 125) RETURNING id`, [t.seed.sites.street])).rows[0].id;
    const event = { type: 'stall', dedupKey: `stall:${cam}:z1:1000`, cameraId: cam, startedAt: new Date(), data: { dwellSeconds: 320 } };
    const a = await publishEvent(t.app, event);
    const b = await publishEvent(t.app, event);
    expect(a.duplicate).toBe(false);
    expect(a.incident).toMatchObject({ type: 'stall', source: 'analytics', cameraId: cam, location: '北京街 地铁A口', x: 110, status: 'new' });
    expect(b).toMatchObject({ duplicate: true, incident: null, eventId: a.eventId });
    await opLive.next('incident.created', (d) => d.incident.id === a.incident!.id);
    // An alarm near the camera now shows that camera.
    const dev = await createAlarmDevice(t.app.db);
    const near = await postAlarm(dev.key, { ...alarm(dev.id, 'intrusion'), location: { x: 112, y: 126 } });
    expect((await api(t.url, op, 'GET', `/api/incidents/${near.body.incidentId}`)).body.incident).toMatchObject({ cameraId: cam, status: 'new' });
  });
});
