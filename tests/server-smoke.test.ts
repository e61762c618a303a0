import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ label: 'smoke' });
});
afterAll(async () => t?.close());

describe('control plane smoke', () => {
  it('reports health of database and redis', async () => {
    const res = await fetch(`${t.url}/api/health`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.checks.database.status).toBe('ok');
    expect(body.checks.redis.status).toBe('ok');
  });
  it('logs in and reads /me', async () => {
    const cookie = await t.login('admin', 'qly-admin-2026');
    const me = await fetch(`${t.url}/api/auth/me`, { headers: { cookie } });
    expect((await me.json()).user.role).toBe('admin');
  });
});
