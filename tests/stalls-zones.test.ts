// Zones REST (issue 7): the polygon rules of the stall detector enforced at the API, roles, and
// nothing stored on bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishEvent } from '../server/src/incidents/events';
import { startTestApp, type TestApp } from './support/app';

let t: TestApp;
let admin: string;
let operator: string;
let cameraId: string;

async function call(method: string, path: string, cookie: string, body?: unknown) {
  const res = await fetch(`${t.url}${path}`, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const good = () => ({ cameraId, name: '地铁B口左侧', polygon: [[0.1, 0.62], [0.36, 0.62], [0.36, 0.88], [0.1, 0.88]], dwellSeconds: 60 });

beforeAll(async () => {
  t = await startTestApp({ label: 'stallzones' });
  admin = await t.login('admin', 'qly-admin-2026');
  operator = await t.login('operator', 'qly-operator-2026');
  const cam = await call('POST', '/api/cameras', admin, { name: '北京街地铁口', rtspSub: 'rtsp://127.0.0.1:8554/street.sub' });
  expect(cam.status).toBe(201);
  cameraId = cam.body.id;
});
afterAll(async () => t?.close());

async function zoneCount(): Promise<number> {
  const r = await t.app.db.query('SELECT count(*)::int AS n FROM zones');
  return r.rows[0].n;
}

describe('zones API', () => {
  it('creates, lists by camera, patches and deletes a zone', async () => {
    const created = await call('POST', '/api/zones', admin, { ...good(), activeHours: [{ days: [1, 2, 3, 4, 5], from: '07:00', to: '21:30' }] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ cameraId, kind: 'stall', dwellSeconds: 60, graceSeconds: 10, enabled: true, polygon: good().polygon });
    const list = await call('GET', `/api/zones?cameraId=${cameraId}`, operator);
    expect(list.status).toBe(200);
    expect(list.body.items.map((z: { id: string }) => z.id)).toContain(created.body.id);
    const patched = await call('PATCH', `/api/zones/${created.body.id}`, admin, { polygon: [[0.2, 0.2], [0.5, 0.2], [0.35, 0.6]], enabled: false });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ enabled: false, polygon: [[0.2, 0.2], [0.5, 0.2], [0.35, 0.6]], activeHours: [{ days: [1, 2, 3, 4, 5], from: '07:00', to: '21:30' }] });
    expect((await call('DELETE', `/api/zones/${created.body.id}`, admin)).status).toBe(204);
    expect((await call('GET', `/api/zones/${created.body.id}`, admin)).status).toBe(404);
  });

  it('refuses bad polygons, dwell and hours with a 400, storing nothing', async () => {
    const before = await zoneCount();
    const cases: [string, unknown][] = [
      ['self-intersecting', { polygon: [[0.1, 0.1], [0.9, 0.9], [0.9, 0.1], [0.1, 0.9]] }],
      ['degenerate line', { polygon: [[0.1, 0.1], [0.5, 0.5], [0.9, 0.9]] }],
      ['tiny', { polygon: [[0.1, 0.1], [0.101, 0.1], [0.101, 0.101]] }],
      ['outside the frame', { polygon: [[0.1, 0.1], [1.2, 0.1], [0.5, 0.8]] }],
      ['negative coordinate', { polygon: [[-0.1, 0.1], [0.5, 0.1], [0.5, 0.8]] }],
      ['too few points', { polygon: [[0.1, 0.1], [0.5, 0.5]] }],
      ['not numbers', { polygon: [['a', 0.1], [0.5, 0.1], [0.5, 0.8]] }],
      ['dwell 0', { dwellSeconds: 0 }],
      ['dwell negative', { dwellSeconds: -5 }],
      ['dwell fractional', { dwellSeconds: 1.5 }],
      ['dwell missing', { dwellSeconds: undefined }],
      ['empty hours window', { activeHours: [{ from: '08:00', to: '08:00' }] }],
      ['bad clock', { activeHours: [{ from: '25:00', to: '08:00' }] }],
      ['unknown field', { colour: 'red' }],
      ['markup in name', { name: '<script>' }],
      ['unknown camera', { cameraId: '00000000-0000-4000-8000-000000000000' }],
      ['camera id not a uuid', { cameraId: 'cam-1' }],
    ];
    for (const [label, over] of cases) {
      const res = await call('POST', '/api/zones', admin, { ...good(), ...(over as object) });
      expect(res.status, label).toBe(400);
      expect(res.body.error, label).toBeTypeOf('string');
    }
    expect(await zoneCount()).toBe(before);
    const z = await call('POST', '/api/zones', admin, good());
    const bad = await call('PATCH', `/api/zones/${z.body.id}`, admin, { polygon: [[0.1, 0.1], [0.9, 0.9], [0.9, 0.1], [0.1, 0.9]] });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('zone_self_intersecting');
    expect((await call('GET', `/api/zones/${z.body.id}`, admin)).body.polygon).toEqual(good().polygon);
  });

  it('lets operators read but not write, and strangers nothing', async () => {
    expect((await call('POST', '/api/zones', operator, good())).status).toBe(403);
    expect((await call('GET', '/api/zones', '')).status).toBe(401);
    const patrol = await t.login('patrol1', 'qly-patrol-2026');
    expect((await call('GET', '/api/zones', patrol)).status).toBe(403);
  });
});

describe('stall events API', () => {
  it('lists stall events with their zone and lets an operator mark a false alarm, audited', async () => {
    const zone = (await call('POST', '/api/zones', admin, good())).body;
    const start = new Date('2026-11-29T08:00:25Z');
    const { eventId } = await publishEvent(t.app, { type: 'stall', dedupKey: `stall:${cameraId}:${zone.id}:${start.getTime()}`, cameraId, zoneId: zone.id, startedAt: start, box: [0.1, 0.6, 0.2, 0.2] });
    const list = await call('GET', `/api/stall-events?cameraId=${cameraId}`, operator);
    expect(list.status).toBe(200);
    expect(list.body.items[0]).toMatchObject({ id: eventId, zoneId: zone.id, zoneName: '地铁B口左侧', startedAt: start.toISOString(), box: [0.1, 0.6, 0.2, 0.2], falseAlarm: false });
    const marked = await call('POST', `/api/stall-events/${eventId}/false-alarm`, operator, { falseAlarm: true });
    expect(marked.status).toBe(200);
    expect(marked.body.falseAlarm).toBe(true);
    expect((await call('GET', `/api/stall-events?falseAlarm=true`, operator)).body.items.map((e: { id: string }) => e.id)).toEqual([eventId]);
    expect((await call('GET', `/api/stall-events?falseAlarm=false`, operator)).body.items).toEqual([]);
    const audit = await t.app.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'stall_event.false_alarm' AND target_id = $1`, [eventId]);
    expect(audit.rows[0].n).toBe(1);
  });

  it('answers 404 for unknown or non-stall events, 400 for bad bodies, 403 for patrols', async () => {
    expect((await call('POST', '/api/stall-events/00000000-0000-4000-8000-000000000000/false-alarm', operator, { falseAlarm: true })).status).toBe(404);
    const plate = await publishEvent(t.app, { type: 'watchlist_plate', dedupKey: 'plate:test:1', startedAt: new Date() });
    expect((await call('POST', `/api/stall-events/${plate.eventId}/false-alarm`, operator, { falseAlarm: true })).status).toBe(404);
    expect((await call('POST', `/api/stall-events/${plate.eventId}/false-alarm`, operator, { falseAlarm: 'yes' })).status).toBe(400);
    expect((await call('POST', '/api/stall-events/not-a-uuid/false-alarm', operator, { falseAlarm: true })).status).toBe(400);
    const patrol = await t.login('patrol1', 'qly-patrol-2026');
    expect((await call('GET', '/api/stall-events', patrol)).status).toBe(403);
  });
});
