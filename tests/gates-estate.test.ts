// Estate staff (role `estate`, 物业) are bound to one site: they see and work that estate's gates,
// decisions, review queue, flagged households, households, vehicles and passes — and nothing of
// another estate, asked by list or by id (404, never data). The watch list, the wall, incidents,
// users and cameras stay closed (403). Live pushes and the gate camera follow the same line.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, listenLive } from './incidents-support';
import { startTestApp, type TestApp } from './support/app';

let t: TestApp;
let admin: string;
let estate: string;
/** Ids at the estate's own site (幸福里) and at another estate (the street site, for the test). */
const own = { gate: '', household: '', vehicle: '', pass: '', decision: '', camera: '' };
const other = { site: '', gate: '', gateKey: '', household: '', vehicle: '', pass: '', decision: '', camera: '' };

const call = (cookie: string, method: string, path: string, body?: unknown) => api(t.url, cookie, method, path, body);
async function ok(cookie: string, method: string, path: string, body?: unknown) {
  const res = await call(cookie, method, path, body);
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body;
}
async function check(gateId: string, key: string, plate: string) {
  const res = await fetch(`${t.url}/api/gates/${gateId}/check`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-device-key': key }, body: JSON.stringify({ plate }) });
  expect(res.status).toBe(200);
  return res.json();
}

beforeAll(async () => {
  t = await startTestApp({ label: 'gatesestate' });
  admin = await t.login('admin', 'qly-admin-2026');
  estate = await t.login('estate1', 'qly-estate-2026');
  const site = t.seed.sites.estate;
  other.site = t.seed.sites.street;
  own.gate = t.seed.gateId;
  other.gate = (await ok(admin, 'POST', '/api/gates', { siteId: other.site, name: '别的小区 北门' })).id;
  other.gateKey = (await ok(admin, 'POST', '/api/devices', { kind: 'gate', name: '北门道闸', gateId: other.gate, siteId: other.site })).key;
  for (const [ids, siteId, unit, plate] of [
    [own, site, '1-1-101', '粤B12345'],
    [other, other.site, '9-9-909', '粤B67890'],
  ] as const) {
    ids.household = (await ok(admin, 'POST', '/api/households', { siteId, unit, headName: '住户', affordable: true })).id;
    ids.vehicle = (await ok(admin, 'POST', '/api/vehicles', { householdId: ids.household, plate, plateType: 'blue', vehicleClass: 'luxury', declaredValue: 900000 })).id;
    ids.pass = (await ok(admin, 'POST', '/api/visitor-passes', { siteId, plate: plate.replace('B', 'C'), validFrom: new Date().toISOString(), validTo: new Date(Date.now() + 3600_000).toISOString() })).id;
    ids.camera = (await ok(admin, 'POST', '/api/cameras', { name: `${unit} 道闸`, siteId, rtspMain: 'rtsp://127.0.0.1:1/none' })).id;
  }
  await ok(admin, 'PATCH', `/api/gates/${own.gate}`, { cameraId: own.camera });
  await ok(admin, 'PATCH', `/api/gates/${other.gate}`, { cameraId: other.camera });
  own.decision = (await check(own.gate, t.seed.gateKey, '浙A0K777')).decisionId;
  other.decision = (await check(other.gate, other.gateKey, '浙A0K888')).decisionId;
  // A stored picture for each decision, so the image and crop routes have something to leak.
  const jpeg = await sharp({ create: { width: 64, height: 32, channels: 3, background: '#345' } }).jpeg().toBuffer();
  for (const id of [own.decision, other.decision]) {
    await t.app.db.query('INSERT INTO gate_decision_images (decision_id, jpeg) VALUES ($1, $2)', [id, jpeg]);
    await t.app.db.query(`UPDATE gate_decisions SET details = details || '{"box":[{"x":4,"y":4},{"x":60,"y":4},{"x":60,"y":28},{"x":4,"y":28}]}' WHERE id = $1`, [id]);
  }
}, 60_000);
afterAll(async () => t?.close());

describe('estate staff see their own estate', () => {
  it('lists only their site in every list', async () => {
    const ids = async (path: string) => ((await ok(estate, 'GET', path)).items as { id?: string; decisionId?: string }[]).map((i) => i.id ?? i.decisionId);
    expect(await ids('/api/gates')).toEqual([own.gate]);
    expect(await ids('/api/households')).toEqual([own.household]);
    expect(await ids('/api/vehicles')).toEqual([own.vehicle]);
    expect(await ids('/api/visitor-passes')).toEqual([own.pass]);
    expect(await ids('/api/gate-decisions')).toEqual([own.decision]);
    expect(await ids('/api/sites')).toEqual([t.seed.sites.estate]);
    // Filtering by the other site's ids does not widen the scope: the filters AND with it.
    expect(await ids(`/api/gate-decisions?gateId=${other.gate}`)).toEqual([]);
    expect(await ids(`/api/households?siteId=${other.site}`)).toEqual([]);
    expect(await ids(`/api/vehicles?householdId=${other.household}`)).toEqual([]);
    expect(await ids(`/api/visitor-passes?siteId=${other.site}`)).toEqual([]);
    // The city staff still see both estates.
    expect((await ok(admin, 'GET', '/api/gate-decisions')).total).toBe(2);
  });

  it('reads their own rows by id, flagged households of their site, and the decision picture', async () => {
    await ok(estate, 'GET', `/api/households/${own.household}`);
    await ok(estate, 'GET', `/api/vehicles/${own.vehicle}`);
    await ok(estate, 'GET', `/api/visitor-passes/${own.pass}`);
    await ok(estate, 'GET', `/api/gates/${own.gate}`);
    const flagged = await ok(estate, 'GET', `/api/sites/${t.seed.sites.estate}/flagged-households`);
    expect(flagged.items.map((i: { householdId: string }) => i.householdId)).toEqual([own.household]);
    for (const part of ['image', 'crop']) {
      const res = await fetch(`${t.url}/api/gate-decisions/${own.decision}/${part}`, { headers: { cookie: estate } });
      expect(res.status, part).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/jpeg');
    }
  });
});

describe('another estate is not there for them (attacks)', () => {
  it('by-id reads of another site answer 404 with no data', async () => {
    for (const path of [
      `/api/households/${other.household}`,
      `/api/vehicles/${other.vehicle}`,
      `/api/visitor-passes/${other.pass}`,
      `/api/gates/${other.gate}`,
      `/api/sites/${other.site}`,
      `/api/sites/${other.site}/flagged-households`,
      `/api/gate-decisions/${other.decision}/image`,
      `/api/gate-decisions/${other.decision}/crop`,
    ]) {
      const res = await call(estate, 'GET', path);
      expect(res.status, path).toBe(404);
      expect(Object.keys(res.body).sort(), path).toEqual(['error', 'message']);
    }
  });

  it('cannot review another site’s decision; the decision stays pending and the barrier hears nothing', async () => {
    const res = await call(estate, 'POST', `/api/gate-decisions/${other.decision}/review`, { decision: 'allow' });
    expect(res.status).toBe(404);
    const { rows } = await t.app.db.query('SELECT reviewed_at FROM gate_decisions WHERE id = $1', [other.decision]);
    expect(rows[0].reviewed_at).toBeNull();
  });

  it('cannot change or delete another site’s households, vehicles or passes', async () => {
    for (const [path, body] of [
      [`/api/households/${other.household}`, { headName: '改名' }],
      [`/api/vehicles/${other.vehicle}`, { declaredValue: 1 }],
      [`/api/visitor-passes/${other.pass}`, { multiEntry: true }],
    ] as const) {
      expect((await call(estate, 'PATCH', path, body)).status, `PATCH ${path}`).toBe(404);
      expect((await call(estate, 'DELETE', path)).status, `DELETE ${path}`).toBe(404);
    }
    const { rows } = await t.app.db.query('SELECT head_name FROM households WHERE id = $1', [other.household]);
    expect(rows[0].head_name).toBe('住户');
    expect((await t.app.db.query('SELECT 1 FROM vehicles WHERE id = $1', [other.vehicle])).rowCount).toBe(1);
  });

  it('cannot create rows in, or move their own rows to, another site', async () => {
    const attempts: [string, string, unknown][] = [
      ['POST', '/api/households', { siteId: other.site, unit: '8-8-808', headName: '冒名' }],
      ['POST', '/api/vehicles', { householdId: other.household, plate: '粤B11111', plateType: 'blue' }],
      ['POST', '/api/visitor-passes', { siteId: other.site, plate: '粤B22222', validFrom: new Date().toISOString(), validTo: new Date(Date.now() + 60_000).toISOString() }],
      ['POST', '/api/visitor-passes', { siteId: t.seed.sites.estate, householdId: other.household, plate: '粤B33333', validFrom: new Date().toISOString(), validTo: new Date(Date.now() + 60_000).toISOString() }],
      ['PATCH', `/api/households/${own.household}`, { siteId: other.site }],
      ['PATCH', `/api/vehicles/${own.vehicle}`, { householdId: other.household }],
      ['PATCH', `/api/visitor-passes/${own.pass}`, { siteId: other.site }],
    ];
    for (const [method, path, body] of attempts) {
      const res = await call(estate, method, path, body);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(404);
    }
    expect((await t.app.db.query(`SELECT count(*)::int AS n FROM households WHERE site_id = $1`, [other.site])).rows[0].n).toBe(1);
    expect((await t.app.db.query('SELECT household_id FROM vehicles WHERE id = $1', [own.vehicle])).rows[0].household_id).toBe(own.household);
  });

  it('may not edit the watch list, open the wall, incidents, users or cameras, nor create gates', async () => {
    for (const [method, path, body] of [
      ['GET', '/api/watchlist', undefined],
      ['POST', '/api/watchlist', { plate: '粤B12345', reason: '测试' }],
      ['GET', '/api/incidents', undefined],
      ['GET', '/api/users', undefined],
      ['GET', '/api/cameras', undefined],
      ['POST', '/api/gates', { siteId: t.seed.sites.estate, name: '自建道闸' }],
      ['PATCH', `/api/gates/${own.gate}`, { name: '改名' }],
    ] as const) {
      const res = await call(estate, method, path, body);
      expect(res.status, `${method} ${path}`).toBe(403);
    }
  });

  it('gets the streams and a stream token of their own gate camera only', async () => {
    const streams = await call(estate, 'GET', `/api/cameras/${own.camera}/streams`, undefined);
    expect(streams.status).toBe(200);
    expect(streams.body.streams[0]).toMatchObject({ profile: 'main', streamId: `${own.camera}.main` });
    const hidden = await call(estate, 'GET', `/api/cameras/${other.camera}/streams`, undefined);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error).toBe('not_found');
    const token = async (cameraId: string) => call(estate, 'POST', '/api/stream-tokens', { streamId: `${cameraId}.main` });
    expect((await token(own.camera)).status).toBe(200);
    const denied = await token(other.camera);
    expect(denied.status).toBe(403);
    expect(denied.body.error).toBe('not_your_site');
  });
});

describe('estate staff work their own estate', () => {
  it('hear only their site’s live decisions, review one, and manage their households, vehicles and passes', async () => {
    const ws = await listenLive(t.url, estate);
    try {
      const mine = await check(own.gate, t.seed.gateKey, '浙A0K999');
      const theirs = await check(other.gate, other.gateKey, '浙A0K666');
      await ws.next('gate.decision', (d) => d.decisionId === mine.decisionId);
      const reviewed = await ok(estate, 'POST', `/api/gate-decisions/${mine.decisionId}/review`, { decision: 'allow' });
      expect(reviewed).toMatchObject({ reviewDecision: 'allow' });
      await ws.next('gate.review', (d) => d.decisionId === mine.decisionId);
      // The other estate's push went out in between and never reached this socket.
      await new Promise((r) => setTimeout(r, 300));
      expect(ws.events.some((e) => (e.data as { decisionId?: string }).decisionId === theirs.decisionId)).toBe(false);
    } finally {
      ws.close();
    }
    const h = await ok(estate, 'POST', '/api/households', { siteId: t.seed.sites.estate, unit: '2-1-201', headName: '新住户' });
    const v = await ok(estate, 'POST', '/api/vehicles', { householdId: h.id, plate: '粤b 5s555', plateType: 'blue' });
    expect(v.plate).toBe('粤B5S555');
    await ok(estate, 'POST', '/api/visitor-passes', { siteId: t.seed.sites.estate, householdId: h.id, plate: '粤B77777', validFrom: new Date().toISOString(), validTo: new Date(Date.now() + 60_000).toISOString() });
    await ok(estate, 'PATCH', `/api/households/${h.id}`, { headName: '新住户 改' });
    await ok(estate, 'DELETE', `/api/vehicles/${v.id}`);
  });

  it('an estate account must have a site, and other roles none (users admin)', async () => {
    const base = { displayName: '物业 二号', password: 'qly-estate-2026' };
    expect((await call(admin, 'POST', '/api/users', { ...base, username: 'estate2', role: 'estate' })).status).toBe(400);
    expect((await call(admin, 'POST', '/api/users', { ...base, username: 'operator9', role: 'operator', siteId: t.seed.sites.estate })).status).toBe(400);
    const u = await ok(admin, 'POST', '/api/users', { ...base, username: 'estate2', role: 'estate', siteId: other.site });
    expect(u).toMatchObject({ role: 'estate', siteId: other.site });
    const cookie = await t.login('estate2', 'qly-estate-2026');
    expect(((await ok(cookie, 'GET', '/api/gates')).items as { id: string }[]).map((g) => g.id)).toEqual([other.gate]);
    // Moving the account to another estate ends its sessions (its scope was in the session).
    await ok(admin, 'PATCH', `/api/users/${u.id}`, { siteId: t.seed.sites.estate });
    expect((await call(cookie, 'GET', '/api/gates')).status).toBe(401);
    expect((await call(admin, 'PATCH', `/api/users/${u.id}`, { role: 'operator' })).status).toBe(400);
  });
});
