// Every API route × every role: the access layer allows exactly the roles a route declares.
// Routes are read from the app itself, so a route added later is covered without editing this file.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../server/src/lib/roles';
import { ALL_ROLES } from '../server/src/lib/roles';
import { startTestApp, type TestApp } from './support/app';

type Caller = Role | 'anonymous';
let t: TestApp;
const headers: Record<Caller, Record<string, string>> = {} as never;

beforeAll(async () => {
  t = await startTestApp({ label: 'authz' });
  headers.anonymous = {};
  for (const user of ['admin', 'operator', 'patrol1', 'parent1', 'estate1'] as const) {
    const u = t.seed.users[user];
    headers[u.role] = { cookie: await t.login(u.username, u.password) };
  }
  headers.gate = { 'x-device-key': t.seed.gateKey };
  const res = await fetch(`${t.url}/api/devices`, {
    method: 'POST',
    headers: { ...headers.admin, 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'alarm', name: '烟感主机' }),
  });
  headers.alarm = { 'x-device-key': (await res.json()).key };
});
afterAll(async () => t?.close());

const USERS: Partial<Record<Caller, [string, string]>> = {
  admin: ['admin', 'qly-admin-2026'],
  operator: ['operator', 'qly-operator-2026'],
  patrol: ['patrol1', 'qly-patrol-2026'],
  parent: ['parent1', 'qly-parent-2026'],
  estate: ['estate1', 'qly-estate-2026'],
};
const concrete = (url: string) => url.replace(/:[A-Za-z]+/g, () => randomUUID()).replace(/\*$/, 'x');

describe('authorization matrix', () => {
  it('covers every API route for every role', async () => {
    const routes = t.app.routeTable.filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs') && !r.websocket && r.method !== 'OPTIONS');
    expect(routes.length).toBeGreaterThan(20);
    const callers: Caller[] = ['anonymous', ...ALL_ROLES];
    const failures: string[] = [];
    const table: string[] = [`| route | ${callers.join(' | ')} |`, `| --- |${callers.map(() => ' --- |').join('')}`];
    for (const route of routes) {
      expect(route.access, `${route.method} ${route.url} declares no access rule`).toBeDefined();
      const cells: string[] = [];
      for (const caller of callers) {
        const allowed = route.access === 'public' || (caller !== 'anonymous' && route.access!.includes(caller));
        // Logout ends the session: give it a throwaway one so later rows keep theirs.
        const h = route.url === '/api/auth/logout' && USERS[caller] ? { cookie: await t.login(...USERS[caller]!) } : headers[caller];
        const hasBody = !['GET', 'DELETE'].includes(route.method);
        const res = await fetch(`${t.url}${concrete(route.url)}`, {
          method: route.method,
          headers: { ...h, ...(hasBody ? { 'content-type': 'application/json' } : {}) },
          body: hasBody ? '{}' : undefined,
        });
        const body = await res.text();
        const denied = res.status === 401 || res.status === 403;
        cells.push(allowed ? (denied ? `✗${res.status}` : 'allow') : denied ? 'deny' : `✗${res.status}`);
        if (allowed === denied) failures.push(`${route.method} ${route.url} as ${caller}: expected ${allowed ? 'allow' : 'deny'}, got ${res.status} ${body.slice(0, 120)}`);
        if (!allowed) {
          expect(res.status).toBe(caller === 'anonymous' ? 401 : 403);
          // A denial carries no data: just the error code and a generic message.
          expect(Object.keys(JSON.parse(body)).sort()).toEqual(['error', 'message']);
        }
      }
      table.push(`| ${route.method} ${route.url} | ${cells.join(' | ')} |`);
    }
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/authz-matrix.md', `${table.join('\n')}\n`);
    expect(failures).toEqual([]);
  });

  it('refuses the live WebSocket without a session', async () => {
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${t.url.replace('http', 'ws')}/api/ws`);
      ws.on('unexpected-response', (req, res) => {
        resolve(res.statusCode ?? 0);
        res.socket.destroy();
        req.destroy();
      });
      ws.on('open', () => resolve(101));
    });
    expect(status).toBe(401);
  });

  it('audits denied access', async () => {
    await fetch(`${t.url}/api/users`, { headers: headers.parent });
    const { rows } = await t.app.db.query(`SELECT * FROM audit_log WHERE action = 'access.denied' AND actor_role = 'parent'`);
    expect(rows.length).toBeGreaterThan(0);
  });
});
