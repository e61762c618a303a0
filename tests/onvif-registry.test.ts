// Adding a camera as an installer would: discovery → credentials checked → profiles → saved; PTZ.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCameraSim, type CameraSimHandle } from '../camera-sim/src';
import { startTestApp, type TestApp } from './support/app';

let sim: CameraSimHandle;
let t: TestApp;
let admin: string;
const post = (path: string, body: unknown, cookie = admin) =>
  fetch(`${t.url}${path}`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });

beforeAll(async () => {
  sim = await startCameraSim({ cameras: [{ name: '东门球机', location: '幸福里 东门', scene: 'gate', ptz: true }, { name: '时钟', location: '监控中心', scene: 'clock' }] });
  t = await startTestApp({ label: 'onvif' });
  admin = await t.login('admin', 'qly-admin-2026');
}, 240_000);
afterAll(async () => {
  await t?.close();
  await sim?.stop();
});

describe('camera discovery and registration', () => {
  it('finds every simulated camera by WS-Discovery, with the name from its scopes', async () => {
    const res = await fetch(`${t.url}/api/discovery?timeoutMs=1500`, { headers: { cookie: admin } });
    expect(res.status).toBe(200);
    const { items } = await res.json();
    for (const cam of sim.cameras) {
      const hit = items.find((i: { onvifUrl: string }) => i.onvifUrl === cam.onvifUrl);
      expect(hit, cam.onvifUrl).toBeTruthy();
      expect(hit.name).toBe(cam.name);
      expect(hit.cameraId).toBeNull();
    }
  });

  it('checks credentials before saving and lists the main and sub profiles', async () => {
    const cam = sim.cameras[0];
    const wrong = await post('/api/cameras/probe', { onvifUrl: cam.onvifUrl, username: cam.username, password: 'wrong' });
    expect(wrong.status).toBe(422);
    expect((await wrong.json()).error).toBe('camera_auth_failed');
    const unreachable = await post('/api/cameras/probe', { onvifUrl: 'http://127.0.0.1:9/onvif/device_service', username: 'a', password: 'b' });
    expect(unreachable.status).toBe(502);
    const bad = await post('/api/cameras/probe', { onvifUrl: 'file:///etc/passwd', username: 'a', password: 'b' });
    expect(bad.status).toBe(400);

    const ok = await post('/api/cameras/probe', { onvifUrl: cam.onvifUrl, username: cam.username, password: cam.password });
    expect(ok.status).toBe(200);
    const probe = await ok.json();
    expect(probe.profiles.map((p: { rtsp: string }) => p.rtsp)).toEqual([cam.rtspMainUrl, cam.rtspSubUrl]);
    expect(probe.ptz).toBe(true);

    const saved = await post('/api/cameras', { name: cam.name, onvifUrl: cam.onvifUrl, rtspMain: probe.profiles[0].rtsp, rtspSub: probe.profiles[1].rtsp, username: cam.username, password: cam.password, ptz: true });
    expect(saved.status).toBe(201);
    const { id } = await saved.json();
    const again = await (await fetch(`${t.url}/api/discovery?timeoutMs=1500`, { headers: { cookie: admin } })).json();
    expect(again.items.find((i: { onvifUrl: string }) => i.onvifUrl === cam.onvifUrl).cameraId).toBe(id);

    // PTZ from the wall, through ONVIF with the stored (encrypted) credentials.
    const operator = await t.login('operator', 'qly-operator-2026');
    const moved = await post(`/api/cameras/${id}/ptz`, { action: 'move', x: 0.5, y: 0, zoom: 0 }, operator);
    expect(moved.status, await moved.clone().text()).toBe(204);
    expect((await post(`/api/cameras/${id}/ptz`, { action: 'stop' }, operator)).status).toBe(204);
    const presets = await (await fetch(`${t.url}/api/cameras/${id}/presets`, { headers: { cookie: operator } })).json();
    expect(presets.items.length).toBeGreaterThan(0);
    expect((await post(`/api/cameras/${id}/ptz`, { action: 'preset', token: presets.items[0].token }, operator)).status).toBe(204);
    expect((await post(`/api/cameras/${id}/ptz`, { action: 'move', x: 5, y: 0, zoom: 0 }, operator)).status).toBe(400);
  });
});

describe('camera health', () => {
  it('polls cameras over ONVIF: online, auth_failed after a credential change, offline when the camera vanishes', async () => {
    const { pollCameras } = await import('../server/src/onvif/health-poller');
    const cam = sim.cameras[1];
    const { username, password } = cam;
    const res = await post('/api/cameras', { name: '健康检查', onvifUrl: cam.onvifUrl, rtspMain: cam.rtspMainUrl, username, password });
    const { id } = await res.json();
    const status = async () => (await t.app.db.query('SELECT status, last_error FROM cameras WHERE id = $1', [id])).rows[0];
    await pollCameras(t.app);
    expect((await status()).status).toBe('online');
    cam.faults.setCredentials(username, 'rotated-password');
    await pollCameras(t.app);
    expect(await status()).toMatchObject({ status: 'auth_failed' });
    cam.faults.setCredentials(username, password);
    cam.faults.offline(true);
    await pollCameras(t.app);
    expect((await status()).status).toBe('offline');
    cam.faults.offline(false);
    await pollCameras(t.app);
    expect((await status()).status).toBe('online');
  });
});
