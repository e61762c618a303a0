// A body camera pushing RTMP becomes a camera like any other: registered with its key, watched
// over LL-HLS through the same single ingest; a push with an unknown key is refused.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app';

let t: TestApp;
let port: number;
const pushers: ChildProcess[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

function push(key: string): ChildProcess {
  const p = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25', '-t', '60', '-c:v', 'libx264', '-preset', 'ultrafast', '-profile:v', 'baseline', '-g', '25', '-f', 'flv', `rtmp://127.0.0.1:${port}/live/${key}`], { stdio: 'ignore' });
  pushers.push(p);
  return p;
}

beforeAll(async () => {
  port = await freePort();
  t = await startTestApp({ label: 'rtmp', config: { rtmpPort: port } });
});
afterAll(async () => {
  for (const p of pushers) p.kill('SIGKILL');
  await t?.close();
});

describe('RTMP body cameras', () => {
  it('serves a registered push as LL-HLS and refuses an unknown key', async () => {
    const admin = await t.login('admin', 'qly-admin-2026');
    const key = 'bodycam-li-qiang-7f3a';
    const res = await fetch(`${t.url}/api/cameras`, {
      method: 'POST',
      headers: { cookie: admin, 'content-type': 'application/json' },
      body: JSON.stringify({ name: '执法记录仪 李强', kind: 'rtmp', rtspMain: `rtmp://127.0.0.1:${port}/live/${key}` }),
    });
    expect(res.status).toBe(201);
    const camera = await res.json();

    const refused = push('not-a-registered-key');
    const refusedExit = await new Promise<number | null>((r) => refused.once('exit', r));
    expect(refusedExit).not.toBe(0);

    push(key);
    const operator = await t.login('operator', 'qly-operator-2026');
    const streamId = `${camera.id}.main`;
    const tok = await (await fetch(`${t.url}/api/stream-tokens`, { method: 'POST', headers: { cookie: operator, 'content-type': 'application/json' }, body: JSON.stringify({ streamId }) })).json();
    await expect
      .poll(
        async () => {
          const r = await fetch(`${t.url}/media/streams/${streamId}/ll.m3u8`, { headers: { cookie: operator, 'x-stream-token': tok.token } });
          return r.status === 200 ? (await r.text()).includes('#EXT-X-PART:') : false;
        },
        { timeout: 45_000, interval: 1000 },
      )
      .toBe(true);
    expect(t.app.media.status(streamId)).toMatchObject({ state: 'live', codec: 'h264' });
  });
});
