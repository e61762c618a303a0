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

describe('live websocket', () => {
  it('greets a signed-in operator and delivers published events by audience', async () => {
    const { default: WebSocket } = await import('ws');
    const cookie = await t.login('operator', 'qly-operator-2026');
    const ws = new WebSocket(`${t.url.replace('http', 'ws')}/api/ws`, { headers: { cookie } });
    const messages: { type: string; topic?: string; data?: unknown; id?: number; result?: unknown; error?: unknown }[] = [];
    ws.on('message', (raw) => messages.push(JSON.parse(raw.toString())));
    await new Promise((r) => ws.once('open', r));
    await expect.poll(() => messages.find((m) => m.type === 'hello')).toBeTruthy();
    await t.app.live.publish('test.patrol-only', { n: 1 }, { roles: ['patrol'] });
    await t.app.live.publish('test.staff', { n: 2 });
    await expect.poll(() => messages.find((m) => m.topic === 'test.staff')).toBeTruthy();
    expect(messages.find((m) => m.topic === 'test.patrol-only')).toBeUndefined();
    ws.send('not json');
    ws.send(JSON.stringify({ id: 7, method: 'nope' }));
    await expect.poll(() => messages.find((m) => m.id === 7)?.error).toMatchObject({ error: 'unknown_method' });
    expect(messages.find((m) => m.type === 'error')).toMatchObject({ error: 'bad_json' });
    ws.close();
  });
});
