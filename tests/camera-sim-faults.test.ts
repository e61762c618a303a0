// Each injected fault does what it says, through the in-process handle and the HTTP control API.
import { createHash, randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';
import onvif from 'onvif';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestRtspClient, waitFor } from '../camera-sim/test-support/rtsp-client';
import { startCameraSim, type CameraSimHandle, type SimCamera } from '../camera-sim/src/index';

let sim: CameraSimHandle;
let cam: SimCamera;

beforeAll(async () => {
  sim = await startCameraSim({ cameras: [{ name: 'clock', location: 'lab', scene: 'clock' }] });
  cam = sim.cameras[0];
});
afterAll(() => sim?.stop());

const control = (path: string, body?: unknown): Promise<Response> =>
  fetch(`${sim.controlUrl}${path}`, { method: body === undefined ? 'GET' : 'POST', headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

async function playing(): Promise<TestRtspClient> {
  const c = new TestRtspClient(cam.host, cam.rtspPort, { username: cam.username, password: cam.password });
  await c.connect();
  await c.play(cam.rtspSubUrl);
  await waitFor(() => c.rtp.length > 10, 8000, 'RTP');
  return c;
}

async function systemTime(): Promise<number> {
  const res = await fetch(cam.onvifUrl, {
    method: 'POST',
    body: '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/></s:Body></s:Envelope>',
    signal: AbortSignal.timeout(3000),
  });
  const xml = await res.text();
  const utc = /<tt:UTCDateTime>(.*?)<\/tt:UTCDateTime>/.exec(xml)![1];
  const n = (tag: string): number => Number(new RegExp(`<tt:${tag}>(\\d+)</tt:${tag}>`).exec(utc)![1]);
  return Date.UTC(n('Year'), n('Month') - 1, n('Day'), n('Hour'), n('Minute'), n('Second'));
}

describe('fault injection', () => {
  it('drop-connections closes every RTSP connection', async () => {
    const a = await playing();
    const b = await playing();
    const res = await control(`/cameras/${cam.id}/faults/drop-connections`, {});
    expect(res.status).toBe(200);
    await waitFor(() => a.closed && b.closed, 3000, 'connections closed');
    (await playing()).close(); // and the camera takes new ones
  });

  it('freeze stops packets while the socket stays open, and unfreeze resumes', async () => {
    const c = await playing();
    cam.faults.freeze(true);
    await new Promise((r) => setTimeout(r, 300));
    const n = c.rtp.length;
    await new Promise((r) => setTimeout(r, 1500));
    expect(c.rtp.length).toBe(n);
    expect(c.closed).toBe(false);
    expect((await control(`/cameras/${cam.id}`).then((r) => r.json())) as object).toMatchObject({ faults: { frozen: true } });
    cam.faults.freeze(false);
    await waitFor(() => c.rtp.length > n + 10, 5000, 'RTP after unfreeze');
    c.close();
  });

  it('offline answers nothing (RTSP, ONVIF, snapshots) until it comes back', async () => {
    const c = await playing();
    expect((await control(`/cameras/${cam.id}/faults/offline`, { on: true })).status).toBe(200);
    await waitFor(() => c.closed, 3000, 'existing connection dropped');
    const raw = new TestRtspClient(cam.host, cam.rtspPort, { username: cam.username, password: cam.password });
    await raw.connect(); // the port accepts, like a hung device, but never answers
    await expect(raw.request('OPTIONS', cam.rtspMainUrl).then(() => 'answered')).rejects.toThrow(/no RTSP response/);
    raw.close();
    await expect(systemTime()).rejects.toThrow();
    await control(`/cameras/${cam.id}/faults/offline`, { on: false });
    expect(Math.abs((await systemTime()) - Date.now())).toBeLessThan(2000);
    (await playing()).close();
  }, 20_000);

  it('credentials change applies to RTSP at once', async () => {
    const old = { username: cam.username, password: cam.password };
    expect((await control(`/cameras/${cam.id}/faults/credentials`, { username: 'operator', password: 'n3w-pass' })).status).toBe(200);
    expect(cam.username).toBe('operator');
    const stale = new TestRtspClient(cam.host, cam.rtspPort, old);
    await stale.connect();
    expect((await stale.request('DESCRIBE', cam.rtspMainUrl)).status).toBe(401);
    stale.close();
    const fresh = new TestRtspClient(cam.host, cam.rtspPort, { username: 'operator', password: 'n3w-pass' });
    await fresh.connect();
    expect((await fresh.request('DESCRIBE', cam.rtspMainUrl)).status).toBe(200);
    fresh.close();
    cam.faults.setCredentials(old.username, old.password);
  });

  it('clock skew moves the ONVIF clock: naive WS-Security fails, a client that syncs first still connects', async () => {
    cam.faults.skewClock(3_600_000);
    expect((await systemTime()) - Date.now()).toBeGreaterThan(3_590_000);
    const nonce = randomBytes(16);
    const created = new Date().toISOString();
    const digest = createHash('sha1').update(Buffer.concat([nonce, Buffer.from(created), Buffer.from(cam.password)])).digest('base64');
    const naive = await fetch(cam.onvifUrl, {
      method: 'POST',
      body:
        '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Header><Security><UsernameToken>' +
        `<Username>${cam.username}</Username><Password Type="#PasswordDigest">${digest}</Password><Nonce>${nonce.toString('base64')}</Nonce><Created>${created}</Created>` +
        '</UsernameToken></Security></s:Header><s:Body><GetScopes xmlns="http://www.onvif.org/ver10/device/wsdl"/></s:Body></s:Envelope>',
    });
    expect(await naive.text()).toContain('ter:NotAuthorized');
    const { Cam } = onvif as unknown as { Cam: new (o: Record<string, unknown>) => { connect(cb: (err?: Error) => void): void } };
    const client = new Cam({ hostname: cam.host, port: cam.onvifPort, username: cam.username, password: cam.password, autoconnect: false });
    await new Promise<void>((resolve, reject) => client.connect((err) => (err ? reject(err) : resolve())));
    expect((await control(`/cameras/${cam.id}/faults/clock-skew`, { ms: 0 })).status).toBe(200);
    expect(Math.abs((await systemTime()) - Date.now())).toBeLessThan(2000);
  });

  it('control API rejects bad input and unknown cameras', async () => {
    expect((await control('/cameras/cam-99/faults/freeze', { on: true })).status).toBe(404);
    expect((await control(`/cameras/${cam.id}/faults/freeze`, { on: 'yes' })).status).toBe(400);
    expect((await control(`/cameras/${cam.id}/faults/clock-skew`, { ms: 'soon' })).status).toBe(400);
    expect((await control(`/cameras/${cam.id}/faults/credentials`, { username: 'a:b', password: 'x' })).status).toBe(400);
    expect((await control(`/cameras/${cam.id}/faults/explode`, {})).status).toBe(404);
    const notJson = await fetch(`${sim.controlUrl}/cameras/${cam.id}/faults/freeze`, { method: 'POST', body: '{nope' });
    expect(notJson.status).toBe(400);
    const list = (await control('/cameras').then((r) => r.json())) as { id: string }[];
    expect(list.map((c) => c.id)).toEqual([cam.id]);
  });

  it('an offline camera does not answer WS-Discovery probes', async () => {
    const sock = dgram.createSocket('udp4');
    const replies: string[] = [];
    sock.on('message', (m) => replies.push(m.toString()));
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    const probe = async (): Promise<boolean> => {
      replies.length = 0;
      sock.send(
        '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"><s:Header/><s:Body><d:Probe/></s:Body></s:Envelope>',
        3702,
        '239.255.255.250',
      );
      await new Promise((r) => setTimeout(r, 400));
      return replies.some((m) => m.includes(cam.endpoint));
    };
    expect(await probe()).toBe(true);
    cam.faults.offline(true);
    expect(await probe()).toBe(false);
    cam.faults.offline(false);
    expect(await probe()).toBe(true);
    sock.close();
  });

  it('keeps the RTSP port reachable as TCP during offline (clients see timeouts, not refusals)', async () => {
    cam.faults.offline(true);
    const connected = await new Promise<boolean>((resolve) => {
      const s = net.connect(cam.rtspPort, cam.host, () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    cam.faults.offline(false);
    expect(connected).toBe(true);
  });
});
