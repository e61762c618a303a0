// The live hub sends all publishes of one event-loop turn as one Redis message (server/src/live/hub.ts);
// sockets must still get each event, in order and by audience, and single envelopes published by
// other processes (workers use publishLive) must keep arriving.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { publishLive } from '../server/src/live/hub';
import { startTestApp, type TestApp } from './support/app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ label: 'livebatch' });
});
afterAll(async () => t?.close());

it('delivers a turn of publishes in order and by audience, and single envelopes from other processes', async () => {
  const { default: WebSocket } = await import('ws');
  const cookie = await t.login('operator', 'qly-operator-2026');
  const ws = new WebSocket(`${t.url.replace('http', 'ws')}/api/ws`, { headers: { cookie } });
  const events: { topic: string; data: { n: number } }[] = [];
  ws.on('message', (raw) => {
    const m = JSON.parse(raw.toString());
    if (m.type === 'event') events.push(m);
  });
  await new Promise((r) => ws.once('open', r));
  // One turn: four publishes, one of them for patrol phones only.
  await Promise.all([
    t.app.live.publish('test.batch', { n: 1 }),
    t.app.live.publish('test.batch', { n: 2 }, { roles: ['patrol'] }),
    t.app.live.publish('test.batch', { n: 3 }, { roles: ['operator'] }),
    t.app.live.publish('test.batch', { n: 4 }),
  ]);
  const worker = new Redis(t.app.config.redisUrl);
  await publishLive(worker, t.app.config.redisPrefix, 'test.batch', { n: 5 });
  worker.disconnect();
  await expect.poll(() => events.map((e) => e.data.n)).toEqual([1, 3, 4, 5]);
  ws.close();
});
