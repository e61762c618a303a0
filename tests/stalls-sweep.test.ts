// Stall events end only when their stall goes or their zone does: the scheduler's sync ends open
// events of zones disabled or deleted (no pipeline watches such a camera to do it), and leaves
// the open events of enabled zones to their pipelines — also when the pipeline cannot run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishEvent } from '../server/src/incidents/events';
import { listenLive, type LiveListener } from './incidents-support';
import { startTestApp, type TestApp } from './support/app';

let t: TestApp;
let admin: string;
let live: LiveListener | undefined;

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${t.url}${path}`, { method, headers: { cookie: admin, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
  expect(res.status, `${method} ${path}`).toBeLessThan(300);
  return res.status === 204 ? null : res.json();
}

beforeAll(async () => {
  t = await startTestApp({ label: 'stallsweep', config: { stalls: true } });
  admin = await t.login('admin', 'qly-admin-2026');
  live = await listenLive(t.url, await t.login('operator', 'qly-operator-2026'));
});
afterAll(async () => {
  live?.close();
  await t?.close();
});

describe('stall events and zone changes', () => {
  it('ends open events of disabled and deleted zones, and only those', async () => {
    // Nothing listens on this port: a pipeline for it gets no frames.
    const camera = await call('POST', '/api/cameras', { name: '北京街地铁口', rtspSub: 'rtsp://127.0.0.1:9/none' });
    const polygon = [[0.1, 0.1], [0.5, 0.1], [0.5, 0.5], [0.1, 0.5]];
    const zone = async (name: string, enabled: boolean) => (await call('POST', '/api/zones', { cameraId: camera.id, name, polygon, dwellSeconds: 10, enabled })).id as string;
    const [disabled, deleted, watched] = [await zone('off', false), await zone('gone', false), await zone('on', true)];
    const open = async (zoneId: string) =>
      (await publishEvent(t.app, { type: 'stall', dedupKey: `stall:${camera.id}:${zoneId}:1`, cameraId: camera.id, zoneId, startedAt: new Date(Date.now() - 60_000), box: [0.2, 0.2, 0.1, 0.1] })).eventId;
    const ids = { disabled: await open(disabled), deleted: await open(deleted), watched: await open(watched) };

    await call('DELETE', `/api/zones/${deleted}`); // resyncs the scheduler
    for (const id of [ids.disabled, ids.deleted]) await live!.next('stall.ended', (d) => d.id === id, 10_000);
    const ended = async (id: string) => (await t.app.db.query('SELECT ended_at FROM events WHERE id = $1', [id])).rows[0].ended_at;
    expect(await ended(ids.disabled)).not.toBeNull();
    expect(await ended(ids.deleted)).not.toBeNull();

    // The enabled zone's camera has a pipeline job that sees no frames (or stops): its event stays open.
    await t.app.syncStalls();
    await new Promise((r) => setTimeout(r, 2000));
    expect(await ended(ids.watched)).toBeNull();

    // Switching that zone off ends it too, once.
    await call('PATCH', `/api/zones/${watched}`, { enabled: false });
    await live!.next('stall.ended', (d) => d.id === ids.watched, 15_000);
    expect(await ended(ids.watched)).not.toBeNull();
    await t.app.syncStalls();
    expect(live!.events.filter((e) => e.topic === 'stall.ended').length).toBe(3);
  });
});
