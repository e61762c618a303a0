// Camera simulator → registry → one ingest → LL-HLS, behind stream tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCameraSim } from '../camera-sim/src';
import type { CameraSimHandle } from '../camera-sim/src';
import { startTestApp, type TestApp } from './support/app';

let sim: CameraSimHandle;
let t: TestApp;
let admin: string;
let cameraId: string;

beforeAll(async () => {
  sim = await startCameraSim({ cameras: [{ name: '地铁口', location: '北京街', scene: 'street' }], discovery: false });
  t = await startTestApp({ label: 'streams' });
  admin = await t.login('admin', 'qly-admin-2026');
  const cam = sim.cameras[0];
  const res = await fetch(`${t.url}/api/cameras`, {
    method: 'POST',
    headers: { cookie: admin, 'content-type': 'application/json' },
    body: JSON.stringify({ name: cam.name, location: cam.location, rtspMain: cam.rtspMainUrl, rtspSub: cam.rtspSubUrl, onvifUrl: cam.onvifUrl, username: cam.username, password: cam.password }),
  });
  expect(res.status).toBe(201);
  cameraId = (await res.json()).id;
}, 240_000);
afterAll(async () => {
  await t?.close();
  await sim?.stop();
});

async function token(cookie: string, streamId: string) {
  const res = await fetch(`${t.url}/api/stream-tokens`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ streamId }) });
  return { status: res.status, body: await res.json() };
}

describe('live streams from the registry', () => {
  it('serves the sub stream as LL-HLS to an operator with a token, and nothing without one', async () => {
    const operator = await t.login('operator', 'qly-operator-2026');
    const info = await (await fetch(`${t.url}/api/cameras/${cameraId}/streams`, { headers: { cookie: operator } })).json();
    const sub = info.streams.find((s: { profile: string }) => s.profile === 'sub');
    expect(sub.streamId).toBe(`${cameraId}.sub`);

    const denied = await fetch(`${t.url}${sub.llHls}`, { headers: { cookie: operator } });
    expect(denied.status).toBe(401);

    const tok = await token(operator, sub.streamId);
    expect(tok.status).toBe(200);
    const playlist = await fetch(`${t.url}${sub.llHls}`, { headers: { cookie: operator, 'x-stream-token': tok.body.token } });
    expect(playlist.status).toBe(200);
    const text = await playlist.text();
    expect(text).toContain('#EXTM3U');
    expect(text).toContain('#EXT-X-PART:');
    expect(text).toContain('#EXT-X-PRELOAD-HINT');

    const snap = await fetch(`${t.url}${sub.snapshot}`, { headers: { cookie: operator, 'x-stream-token': tok.body.token } });
    expect(snap.status).toBe(200);
    expect(snap.headers.get('content-type')).toContain('image/jpeg');

    // One ingest however many viewers, and the registry shows the camera online.
    expect(t.app.media.info().load).toBe(1);
    await expect.poll(async () => (await t.app.db.query('SELECT status FROM cameras WHERE id = $1', [cameraId])).rows[0].status, { timeout: 10_000 }).toBe('online');
  });

  it('refuses a parent without a grant and an unknown stream', async () => {
    const parent = await t.login('parent1', 'qly-parent-2026');
    const tok = await token(parent, `${cameraId}.sub`);
    expect(tok.status).toBe(403);
    const operator = await t.login('operator', 'qly-operator-2026');
    const ghost = '00000000-0000-4000-8000-000000000000.sub';
    const unknown = await token(operator, ghost);
    if (unknown.status === 200) {
      const res = await fetch(`${t.url}/media/streams/${ghost}/ll.m3u8`, { headers: { cookie: operator, 'x-stream-token': unknown.body.token } });
      expect(res.status).toBe(404);
      expect((await res.json()).error).toBe('unknown_stream');
    } else expect([403, 404]).toContain(unknown.status);
    const traversal = await fetch(`${t.url}/media/streams/..%2F..%2Fetc/passwd`, { headers: { cookie: operator } });
    expect([400, 404]).toContain(traversal.status);
  });
});
