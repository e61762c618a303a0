// Bad input gets a clear 4xx `{ error, message }` and changes nothing.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app';

let t: TestApp;
let admin: string;
const counts = async () => {
  const { rows } = await t.app.db.query(
    `SELECT (SELECT count(*) FROM users) u, (SELECT count(*) FROM sites) s, (SELECT count(*) FROM teams) t, (SELECT count(*) FROM cameras) c`,
  );
  return rows[0];
};
async function call(method: string, path: string, body?: unknown, extra: Record<string, string> = {}) {
  const res = await fetch(`${t.url}${path}`, {
    method,
    headers: { cookie: admin, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...extra },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

beforeAll(async () => {
  t = await startTestApp({ label: 'badinput', config: { login: { maxFailuresPerAccount: 3, maxFailuresPerAddress: 50, windowSeconds: 60 } } });
  admin = await t.login('admin', 'qly-admin-2026');
});
afterAll(async () => t?.close());

const XSS = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '"><svg onload=alert(1)>'];
const TEXT_FIELDS: Record<string, { path: string; valid: Record<string, unknown>; fields: string[] }> = {
  sites: { path: '/api/sites', valid: { name: '测试街道', kind: 'street', address: '某路 1 号' }, fields: ['name', 'address'] },
  teams: { path: '/api/teams', valid: { name: '测试队', kind: 'community_patrol' }, fields: ['name'] },
  cameras: { path: '/api/cameras', valid: { name: '测试摄像头', location: '路口', area: '东区', username: 'admin' }, fields: ['name', 'location', 'area', 'username'] },
  users: { path: '/api/users', valid: { username: 'newuser', displayName: '新用户', password: 'long-enough-1', role: 'operator' }, fields: ['username', 'displayName'] },
};

describe('bad input on every registry', () => {
  it('rejects markup in every text field and writes nothing', async () => {
    const before = await counts();
    for (const [name, spec] of Object.entries(TEXT_FIELDS)) {
      for (const field of spec.fields) {
        for (const xss of XSS) {
          const r = await call('POST', spec.path, { ...spec.valid, [field]: xss });
          expect(r.status, `${name}.${field}`).toBe(400);
          expect(r.body).toMatchObject({ error: 'validation' });
          expect(typeof r.body.message).toBe('string');
        }
      }
    }
    expect(await counts()).toEqual(before);
  });

  it('stores SQL-looking text verbatim as data and keeps the tables intact', async () => {
    const sqli = "Robert'); DROP TABLE users;--";
    const r = await call('POST', '/api/sites', { name: sqli, kind: 'street', address: "1' OR '1'='1" });
    expect(r.status).toBe(201);
    expect(r.body.name).toBe(sqli);
    const list = await call('GET', `/api/sites?q=${encodeURIComponent("' OR 1=1 --")}`);
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(0);
    expect((await counts()).u).not.toBe('0');
    // Identifiers have strict patterns, so injection never even reaches SQL there.
    expect((await call('POST', '/api/users', { ...TEXT_FIELDS.users.valid, username: "x' OR '1'='1" })).status).toBe(400);
  });

  it('rejects malformed JSON, wrong types, missing and unknown fields', async () => {
    const before = await counts();
    const cases: [unknown, string][] = [
      ['{"name": "x", ', 'bad_json'],
      ['', 'bad_json'],
      [{ name: 42, kind: 'street' }, 'validation'],
      [{ kind: 'street' }, 'validation'],
      [{ name: '街道', kind: 'castle' }, 'validation'],
      [{ name: '街道', kind: 'street', extra: 1 }, 'validation'],
      [{ name: '街道', kind: 'street', x: 'far' }, 'validation'],
      [{ name: '街道', kind: 'street', timezone: 'Mars/Olympus' }, 'validation'],
      [[1, 2, 3], 'validation'],
    ];
    for (const [body, error] of cases) {
      const r = await call('POST', '/api/sites', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error).toBe(error);
    }
    expect((await call('PATCH', `/api/sites/${randomUUID()}`, {})).status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it('rejects a wrong content type and an oversize body', async () => {
    const before = await counts();
    const xml = await call('POST', '/api/sites', '<site/>', { 'content-type': 'application/xml' });
    expect(xml.status).toBe(415);
    expect(xml.body.error).toBe('unsupported_media_type');
    const huge = await call('POST', '/api/sites', { name: '街', kind: 'street', address: 'x'.repeat(2 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.body.error).toBe('payload_too_large');
    expect(await counts()).toEqual(before);
  });

  it('answers 404 for unknown ids and 400 for ids that are not UUIDs', async () => {
    for (const path of ['/api/sites', '/api/teams', '/api/cameras', '/api/users']) {
      const missing = await call('GET', `${path}/${randomUUID()}`);
      expect(missing.status).toBe(404);
      expect(missing.body.error).toBe('not_found');
      expect((await call('DELETE', `${path}/${randomUUID()}`)).status).toBe(404);
      expect((await call('GET', `${path}/1 OR 1=1`)).status).toBe(400);
    }
    expect((await call('GET', '/api/nothing-here')).body.error).toBe('not_found');
  });

  it('answers 409 for duplicates and 400 for references to unknown records', async () => {
    const dup = await call('POST', '/api/users', { ...TEXT_FIELDS.users.valid, username: 'ADMIN' });
    expect(dup.status).toBe(409);
    const badRef = await call('POST', '/api/teams', { name: '孤队', kind: 'community_patrol', siteId: randomUUID() });
    expect(badRef.status).toBe(400);
  });

  it('never returns camera passwords and stores them encrypted', async () => {
    const r = await call('POST', '/api/cameras', { name: '加密测试', password: 'cam-secret-123', username: 'admin' });
    expect(r.status).toBe(201);
    expect(r.body.hasPassword).toBe(true);
    expect(JSON.stringify(r.body)).not.toContain('cam-secret-123');
    const { rows } = await t.app.db.query('SELECT password_enc FROM cameras WHERE id = $1', [r.body.id]);
    expect(rows[0].password_enc.includes(Buffer.from('cam-secret-123'))).toBe(false);
  });
});

describe('login', () => {
  it('answers 401 to a wrong password and 429 once the account is over its limit, even with the right password', async () => {
    const login = (password: string) =>
      fetch(`${t.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'operator', password }) });
    for (let i = 0; i < 3; i++) {
      const r = await login('wrong-password');
      expect(r.status).toBe(401);
      expect(await r.json()).toEqual({ error: 'invalid_credentials', message: 'Wrong username or password' });
    }
    const locked = await login('qly-operator-2026');
    expect(locked.status).toBe(429);
    expect((await locked.json()).error).toBe('rate_limited');
    const unknown = await fetch(`${t.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'nobody', password: 'x' }) });
    expect(unknown.status).toBe(401);
  });

  it('logs in parents by phone number and ends sessions on logout', async () => {
    const r = await fetch(`${t.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: '13900000001', password: 'qly-parent-2026' }) });
    expect(r.status).toBe(200);
    const cookie = r.headers.getSetCookie()[0].split(';')[0];
    expect(r.headers.getSetCookie()[0]).toMatch(/HttpOnly/i);
    expect((await fetch(`${t.url}/api/auth/logout`, { method: 'POST', headers: { cookie } })).status).toBe(204);
    expect((await fetch(`${t.url}/api/auth/me`, { headers: { cookie } })).status).toBe(401);
  });

  it('ends the sessions of a user whose password staff reset', async () => {
    const cookie = await t.login('patrol2', 'qly-patrol-2026');
    const id = t.seed.users.patrol2.id;
    expect((await call('PATCH', `/api/users/${id}`, { password: 'new-password-2026' })).status).toBe(200);
    expect((await fetch(`${t.url}/api/auth/me`, { headers: { cookie } })).status).toBe(401);
    await t.login('patrol2', 'new-password-2026');
  });
});
