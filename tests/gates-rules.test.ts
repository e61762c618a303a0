// The affordable-housing line of an estate (GET/PUT /api/sites/:id/estate-rules): everyone who works
// the gates reads it, only an admin changes it, bad input changes nothing, and a change decides the
// very next gate check and the flagged list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from './incidents-support';
import { startTestApp, type TestApp } from './support/app';

let t: TestApp;
let admin: string;
let operator: string;
let estate: string;
let estateSite: string;
let householdId: string;
const path = (site = estateSite) => `/api/sites/${site}/estate-rules`;
const call = (cookie: string, method: string, p: string, body?: unknown) => api(t.url, cookie, method, p, body);

/** What a refused request must not have touched: the stored rule and the audit trail. */
async function snapshot() {
  const rule = await t.app.db.query('SELECT max_vehicle_value, flagged_classes, updated_at, updated_by FROM estate_rules WHERE site_id = $1', [estateSite]);
  const audit = await t.app.db.query("SELECT count(*)::int AS n FROM audit_log WHERE action = 'estate_rules.update'");
  return { rule: rule.rows[0], audits: audit.rows[0].n };
}

async function check(plate: string) {
  const res = await fetch(`${t.url}/api/gates/${t.seed.gateId}/check`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-device-key': t.seed.gateKey },
    body: JSON.stringify({ plate }),
  });
  expect(res.status).toBe(200);
  return res.json();
}

const flaggedUnits = async () => ((await call(admin, 'GET', `/api/sites/${estateSite}/flagged-households`)).body.items as { unit: string; reason: string }[]);

beforeAll(async () => {
  t = await startTestApp({ label: 'gatesrules' });
  admin = await t.login('admin', 'qly-admin-2026');
  operator = await t.login('operator', 'qly-operator-2026');
  estate = await t.login('estate1', 'qly-estate-2026');
  estateSite = t.seed.sites.estate;
  householdId = (await call(admin, 'POST', '/api/households', { siteId: estateSite, unit: '2-1-201', headName: '张伟', affordable: true })).body.id;
  const car = await call(admin, 'POST', '/api/vehicles', { householdId, plate: '粤B23456', plateType: 'blue', vehicleClass: 'suv', declaredValue: 150_000 });
  expect(car.status).toBe(201);
});
afterAll(async () => t?.close());

describe('reading the line', () => {
  it('admin, operator and the estate’s own staff read it; the seeded estate has the defaults', async () => {
    for (const cookie of [admin, operator, estate]) {
      const res = await call(cookie, 'GET', path());
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ siteId: estateSite, maxVehicleValue: 200_000, flaggedClasses: ['luxury'], updatedBy: null });
      expect(typeof res.body.updatedAt).toBe('string');
    }
  });

  it('an estate without a row answers the defaults, never edited', async () => {
    const res = await call(admin, 'GET', path(t.seed.sites.street));
    expect(res.body).toEqual({ siteId: t.seed.sites.street, maxVehicleValue: 200_000, flaggedClasses: ['luxury'], updatedAt: null, updatedBy: null });
  });

  it('another estate and an unknown site are 404 for estate staff, with no data', async () => {
    for (const site of [t.seed.sites.street, '00000000-0000-4000-8000-000000000000']) {
      const res = await call(estate, 'GET', path(site));
      expect(res.status).toBe(404);
      expect(Object.keys(res.body).sort()).toEqual(['error', 'message']);
    }
    expect((await call(admin, 'GET', path('00000000-0000-4000-8000-000000000000'))).status).toBe(404);
  });
});

describe('changing the line', () => {
  it('operator and estate staff may not change it (403), nothing written', async () => {
    const before = await snapshot();
    for (const cookie of [operator, estate]) {
      const res = await call(cookie, 'PUT', path(), { maxVehicleValue: 1, flaggedClasses: [] });
      expect(res.status).toBe(403);
      expect(Object.keys(res.body).sort()).toEqual(['error', 'message']);
    }
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['a negative value', { maxVehicleValue: -1, flaggedClasses: ['luxury'] }],
    ['a value above 100 000 000 yuan', { maxVehicleValue: 100_000_001, flaggedClasses: ['luxury'] }],
    ['a fraction of a yuan', { maxVehicleValue: 150_000.5, flaggedClasses: ['luxury'] }],
    ['the value as text', { maxVehicleValue: '150000', flaggedClasses: ['luxury'] }],
    ['a null value', { maxVehicleValue: null, flaggedClasses: ['luxury'] }],
    ['no value', { flaggedClasses: ['luxury'] }],
    ['no classes', { maxVehicleValue: 150_000 }],
    ['an unknown class', { maxVehicleValue: 150_000, flaggedClasses: ['luxury', 'yacht'] }],
    ['a class in capitals', { maxVehicleValue: 150_000, flaggedClasses: ['LUXURY'] }],
    ['a duplicate class', { maxVehicleValue: 150_000, flaggedClasses: ['luxury', 'suv', 'luxury'] }],
    ['classes as one string', { maxVehicleValue: 150_000, flaggedClasses: 'luxury' }],
    ['an unknown field', { maxVehicleValue: 150_000, flaggedClasses: ['luxury'], note: 'x' }],
    ['not an object', [150_000]],
  ])('refuses %s with 400 { error, message } and writes nothing', async (_, body) => {
    const before = await snapshot();
    const res = await call(admin, 'PUT', path(), body);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('validation');
    expect(typeof res.body.message).toBe('string');
    expect(await snapshot()).toEqual(before);
  });

  it('an unknown site is 404, nothing written', async () => {
    const before = await snapshot();
    const res = await call(admin, 'PUT', path('00000000-0000-4000-8000-000000000000'), { maxVehicleValue: 300_000, flaggedClasses: [] });
    expect(res.status).toBe(404);
    expect(await snapshot()).toEqual(before);
  });

  it('an admin sets it: answered, stored with who and when, audited with before and after', async () => {
    const res = await call(admin, 'PUT', path(t.seed.sites.street), { maxVehicleValue: 300_000, flaggedClasses: ['luxury', 'truck'] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ siteId: t.seed.sites.street, maxVehicleValue: 300_000, flaggedClasses: ['luxury', 'truck'], updatedBy: { id: t.seed.users.admin.id } });
    expect(Date.now() - Date.parse(res.body.updatedAt)).toBeLessThan(60_000);
    expect((await call(operator, 'GET', path(t.seed.sites.street))).body).toEqual(res.body);
    const audit = await t.app.db.query("SELECT actor_user_id, target_id, details FROM audit_log WHERE action = 'estate_rules.update' ORDER BY at DESC LIMIT 1");
    expect(audit.rows[0]).toEqual({
      actor_user_id: t.seed.users.admin.id,
      target_id: t.seed.sites.street,
      details: { before: { maxVehicleValue: 200_000, flaggedClasses: ['luxury'] }, after: { maxVehicleValue: 300_000, flaggedClasses: ['luxury', 'truck'] } },
    });
    // Another estate's change is not the estate's own: its staff still see their line only.
    expect((await call(estate, 'GET', path())).body.maxVehicleValue).toBe(200_000);
  });
});

describe('vehicle classes', () => {
  it('a vehicle is registered only with a class the line can flag (400 otherwise, nothing written)', async () => {
    const count = async () => (await t.app.db.query('SELECT count(*)::int AS n FROM vehicles')).rows[0].n;
    const before = await count();
    const res = await call(admin, 'POST', '/api/vehicles', { householdId, plate: '粤B23457', plateType: 'blue', vehicleClass: 'supercar', declaredValue: 150_000 });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('validation');
    expect(await count()).toBe(before);
  });
});

describe('the line decides the next gate check and the flagged list', () => {
  it('lowering it below a resident’s car turns allow into review; raising it back allows again', async () => {
    expect(await check('粤B23456')).toMatchObject({ decision: 'allow', rule: 'resident' });
    expect(await flaggedUnits()).toEqual([]);

    expect((await call(admin, 'PUT', path(), { maxVehicleValue: 100_000, flaggedClasses: ['luxury'] })).status).toBe(200);
    const lowered = await check('粤B23456');
    expect(lowered).toMatchObject({ decision: 'review', rule: 'affordable-housing' });
    expect(lowered.reason).toContain('10.0 万元');
    expect(await flaggedUnits()).toEqual([{ householdId, unit: '2-1-201', headName: '张伟', vehicles: [{ plate: '粤B23456', vehicleClass: 'suv', declaredValue: 150_000 }], reason: '粤B23456：申报价值 15.0 万元 超过资格线 10.0 万元' }]);

    // A flagged class, under the value line, flags it too.
    expect((await call(admin, 'PUT', path(), { maxVehicleValue: 200_000, flaggedClasses: ['suv'] })).status).toBe(200);
    expect(await check('粤B23456')).toMatchObject({ decision: 'review', rule: 'affordable-housing' });
    expect((await flaggedUnits()).map((f) => f.reason)).toEqual(['粤B23456：类别 suv 需核查']);

    expect((await call(admin, 'PUT', path(), { maxVehicleValue: 200_000, flaggedClasses: [] })).status).toBe(200);
    expect(await check('粤B23456')).toMatchObject({ decision: 'allow', rule: 'resident' });
    expect(await flaggedUnits()).toEqual([]);
  });
});
