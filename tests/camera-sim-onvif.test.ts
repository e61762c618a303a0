// ONVIF against simulated cameras with the `onvif` npm client and raw SOAP: discovery, connect,
// profiles, stream and snapshot URIs, PTZ that visibly moves the picture, WS-Security, hostile XML.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import onvif from 'onvif';
import sharp from 'sharp';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCameraSim, type CameraSimHandle, type SimCamera } from '../camera-sim/src/index';

// The onvif package ships no types; these are the parts used here.
interface OnvifCam {
  profiles: { name: string; $: { token: string } }[];
  activeSource: { profileToken: string; width: number; height: number };
  connect(cb: (err?: Error) => void): void;
  getStreamUri(o: { protocol: string; profileToken?: string }, cb: (err: Error | null, r: { uri: string }) => void): void;
  getSnapshotUri(o: { profileToken?: string }, cb: (err: Error | null, r: { uri: string }) => void): void;
  absoluteMove(o: { x: number; y: number; zoom: number }, cb: (err: Error | null) => void): void;
  getStatus(o: object, cb: (err: Error | null, s: { position: { x: number; y: number; zoom: number } }) => void): void;
  setPreset(o: { presetName: string }, cb: (err: Error | null, r: unknown) => void): void;
  getPresets(o: object, cb: (err: Error | null, r: Record<string, { $: { token: unknown } }>) => void): void;
  gotoPreset(o: { preset: string }, cb: (err: Error | null) => void): void;
  getNodes(cb: (err: Error | null, n: Record<string, unknown>) => void): void;
  hostname: string;
  port: number;
}
const { Cam, Discovery } = onvif as unknown as {
  Cam: new (o: Record<string, unknown>) => OnvifCam;
  Discovery: { probe(o: Record<string, unknown>, cb: (err: unknown, cams: OnvifCam[]) => void): void };
};

let sim: CameraSimHandle;
let ptzCam: SimCamera;
let fixedCam: SimCamera;

beforeAll(async () => {
  sim = await startCameraSim({
    cameras: [
      { name: '望京地铁B口-球机', location: '望京 B口', scene: 'street', variant: 'day', ptz: true },
      { name: 'clock', location: 'lab', scene: 'clock' },
    ],
  });
  [ptzCam, fixedCam] = sim.cameras;
});
afterAll(() => sim?.stop());

const call = <T>(fn: (cb: (err: Error | null | undefined, r: T) => void) => void): Promise<T> =>
  new Promise((resolve, reject) => fn((err, r) => (err ? reject(err) : resolve(r))));

async function connect(c: SimCamera, password = c.password): Promise<OnvifCam> {
  const cam = new Cam({ hostname: c.host, port: c.onvifPort, username: c.username, password, autoconnect: false, timeout: 5000 });
  await call<void>((cb) => cam.connect((err) => cb(err, undefined)));
  return cam;
}

async function snapshotLuma(c: SimCamera): Promise<Buffer> {
  const res = await fetch(c.snapshotUrl, { headers: { Authorization: `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('image/jpeg');
  return sharp(Buffer.from(await res.arrayBuffer())).resize(64, 36, { fit: 'fill' }).greyscale().raw().toBuffer();
}

/** One frame of the sub stream over RTSP, as 64×36 grey. */
async function streamLuma(c: SimCamera): Promise<Buffer> {
  const url = c.rtspSubUrl.replace('rtsp://', `rtsp://${c.username}:${c.password}@`);
  const { stdout } = await promisify(execFile)('ffmpeg', ['-v', 'error', '-rtsp_transport', 'tcp', '-i', url, '-frames:v', '1', '-vf', 'scale=64:36', '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'], {
    encoding: 'buffer',
    timeout: 30_000,
  });
  return stdout;
}

const meanDiff = (a: Buffer, b: Buffer): number => a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0) / a.length;

describe('WS-Discovery', () => {
  for (const opts of [{}, { device: 'lo' }]) {
    it(`onvif Discovery.probe(${JSON.stringify(opts)}) finds every simulated camera`, async () => {
      const found = await new Promise<OnvifCam[]>((resolve) => Discovery.probe({ timeout: 1500, ...opts }, (_err, cams) => resolve(cams)));
      const ports = new Set(found.map((c) => Number(c.port)));
      for (const c of sim.cameras) expect(ports.has(c.onvifPort)).toBe(true);
    });
  }

  it('answers a Probe only for matching types and scopes, and ignores junk', async () => {
    const sock = dgram.createSocket('udp4');
    const replies: string[] = [];
    sock.on('message', (m) => replies.push(m.toString()));
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    const probe = (types: string, scopes: string): void => {
      const xml =
        '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl">' +
        `<s:Header><a:MessageID>urn:uuid:${randomBytes(8).toString('hex')}</a:MessageID><a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action></s:Header>` +
        `<s:Body><d:Probe><d:Types>${types}</d:Types><d:Scopes>${scopes}</d:Scopes></d:Probe></s:Body></s:Envelope>`;
      sock.send(xml, 3702, '239.255.255.250');
    };
    const byName = `onvif://www.onvif.org/name/${encodeURIComponent(ptzCam.name)}`;
    probe('dn:NetworkVideoTransmitter', byName);
    await new Promise((r) => setTimeout(r, 400));
    const ours = (r: string): boolean => sim.cameras.some((c) => r.includes(c.endpoint));
    expect(replies.filter(ours).map((r) => sim.cameras.find((c) => r.includes(c.endpoint))!.id)).toEqual([ptzCam.id]);
    expect(replies.find(ours)).toContain('ProbeMatches');
    replies.length = 0;
    probe('dn:Printer', '');
    sock.send('<not xml', 3702, '239.255.255.250');
    sock.send(`<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>`, 3702, '239.255.255.250');
    await new Promise((r) => setTimeout(r, 400));
    expect(replies.filter(ours)).toEqual([]);
    sock.close();
  });

  it('announces Hello on start and Bye on stop', async () => {
    const sock = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    const seen: string[] = [];
    sock.on('message', (m) => seen.push(m.toString()));
    await new Promise<void>((r) => sock.bind(3702, () => r()));
    sock.addMembership('239.255.255.250', '127.0.0.1');
    const extra = await startCameraSim({ cameras: [{ name: 'hello', location: 'lab', scene: 'clock' }] });
    const endpoint = extra.cameras[0].endpoint;
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.some((m) => m.includes('/discovery/Hello') && m.includes(endpoint))).toBe(true);
    await extra.stop();
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.some((m) => m.includes('/discovery/Bye') && m.includes(endpoint))).toBe(true);
    sock.close();
  });
});

describe('ONVIF with the onvif client', () => {
  it('connects, lists a main 1080p-class and a sub 640×360 profile, and returns stream and snapshot URIs', async () => {
    const cam = await connect(fixedCam);
    expect(cam.profiles.map((p) => p.name)).toEqual(['mainStream', 'subStream']);
    const main = await call<{ uri: string }>((cb) => cam.getStreamUri({ protocol: 'RTSP' }, cb));
    expect(main.uri).toBe(fixedCam.rtspMainUrl);
    const sub = await call<{ uri: string }>((cb) => cam.getStreamUri({ protocol: 'UDP', profileToken: cam.profiles[1].$.token }, cb));
    expect(sub.uri).toBe(fixedCam.rtspSubUrl);
    const snap = await call<{ uri: string }>((cb) => cam.getSnapshotUri({}, cb));
    expect(snap.uri).toBe(fixedCam.snapshotUrl);
  });

  it('fails to connect with a wrong password', async () => {
    await expect(connect(fixedCam, 'wrong')).rejects.toThrow(/NotAuthorized|not Authorized/i);
  });

  it('moves PTZ, and the move is visible in the snapshot', async () => {
    const cam = await connect(ptzCam);
    const nodes = await call<Record<string, unknown>>((cb) => cam.getNodes(cb));
    expect(Object.keys(nodes)).toHaveLength(1);
    const a = await snapshotLuma(ptzCam);
    const b = await snapshotLuma(ptzCam);
    const still = meanDiff(a, b);
    await call<void>((cb) => cam.absoluteMove({ x: 1, y: -1, zoom: 0.6 }, (err) => cb(err, undefined)));
    const status = await call<{ position: { x: number; y: number; zoom: number } }>((cb) => cam.getStatus({}, cb));
    expect(status.position).toEqual({ x: 1, y: -1, zoom: 0.6 });
    const moved = await snapshotLuma(ptzCam);
    expect(meanDiff(a, moved)).toBeGreaterThan(Math.max(10, still * 3));
    // presets bring the view back
    await call((cb) => cam.setPreset({ presetName: 'corner' }, cb));
    const presets = await call<Record<string, { $: { token: unknown } }>>((cb) => cam.getPresets({}, cb));
    expect(Object.keys(presets).sort()).toEqual(['Home', 'corner']);
    expect(String(presets.Home.$.token)).toBe('1');
    await call<void>((cb) => cam.gotoPreset({ preset: '1' }, (err) => cb(err, undefined)));
    const home = await snapshotLuma(ptzCam);
    expect(meanDiff(a, home)).toBeLessThan(meanDiff(a, moved));
  });

  it('moves the RTSP picture too, not just snapshots', async () => {
    const cam = await connect(ptzCam);
    await call<void>((cb) => cam.absoluteMove({ x: -1, y: 0, zoom: 0 }, (err) => cb(err, undefined)));
    const left = await streamLuma(ptzCam);
    await call<void>((cb) => cam.absoluteMove({ x: 1, y: 0, zoom: 0.8 }, (err) => cb(err, undefined)));
    // frames already in flight show the old view for a moment
    await new Promise((r) => setTimeout(r, 500));
    const right = await streamLuma(ptzCam);
    expect(meanDiff(left, right)).toBeGreaterThan(10);
  }, 60_000);
});

describe('SOAP security and bad input', () => {
  function token(username: string, password: string, created = new Date().toISOString(), nonce = randomBytes(16)): string {
    const digest = createHash('sha1').update(Buffer.concat([nonce, Buffer.from(created), Buffer.from(password)])).digest('base64');
    return (
      `<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">` +
      `<wsse:UsernameToken><wsse:Username>${username}</wsse:Username><wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">${digest}</wsse:Password>` +
      `<wsse:Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">${nonce.toString('base64')}</wsse:Nonce><wsu:Created>${created}</wsu:Created></wsse:UsernameToken></wsse:Security>`
    );
  }
  const env = (header: string, body: string): string =>
    `<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Header>${header}</s:Header><s:Body>${body}</s:Body></s:Envelope>`;
  const post = async (xml: string, path = '/onvif/device_service'): Promise<{ status: number; text: string }> => {
    const res = await fetch(`http://${fixedCam.host}:${fixedCam.onvifPort}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/soap+xml' }, body: xml });
    return { status: res.status, text: await res.text() };
  };
  const info = '<GetDeviceInformation xmlns="http://www.onvif.org/ver10/device/wsdl"/>';

  it('answers GetSystemDateAndTime without credentials and nothing else', async () => {
    const r = await post(env('', '<GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/>'));
    expect(r.status).toBe(200);
    expect(r.text).toContain('<tt:UTCDateTime>');
    const denied = await post(env('', info));
    expect(denied.status).toBe(401);
    expect(denied.text).toContain('ter:NotAuthorized');
  });

  it('also accepts HTTP Digest instead of WS-Security, as cameras do', async () => {
    const url = `http://${fixedCam.host}:${fixedCam.onvifPort}/onvif/device_service`;
    const first = await fetch(url, { method: 'POST', body: env('', info) });
    const challenge = first.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Digest /);
    const realm = /realm="([^"]+)"/.exec(challenge)![1];
    const nonce = /nonce="([^"]+)"/.exec(challenge)![1];
    const md5 = (v: string): string => createHash('md5').update(v).digest('hex');
    const answer = (password: string): string => {
      const response = md5(`${md5(`${fixedCam.username}:${realm}:${password}`)}:${nonce}:00000001:c0ffee:auth:${md5('POST:/onvif/device_service')}`);
      return `Digest username="${fixedCam.username}", realm="${realm}", nonce="${nonce}", uri="/onvif/device_service", qop=auth, nc=00000001, cnonce="c0ffee", response="${response}"`;
    };
    const ok = await fetch(url, { method: 'POST', body: env('', info), headers: { Authorization: answer(fixedCam.password) } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('<tds:Model>');
    const bad = await fetch(url, { method: 'POST', body: env('', info), headers: { Authorization: answer('wrong') } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('ter:NotAuthorized');
  });

  it('accepts a correct PasswordDigest once and rejects replays, wrong passwords and stale Created', async () => {
    const nonce = randomBytes(16);
    const created = new Date().toISOString();
    const good = env(token(fixedCam.username, fixedCam.password, created, nonce), info);
    const ok = await post(good);
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('<tds:Manufacturer>');
    expect((await post(good)).text).toContain('ter:NotAuthorized');
    expect((await post(env(token(fixedCam.username, 'wrong'), info))).text).toContain('ter:NotAuthorized');
    expect((await post(env(token('intruder', fixedCam.password), info))).text).toContain('ter:NotAuthorized');
    const stale = new Date(Date.now() - 60 * 60_000).toISOString();
    expect((await post(env(token(fixedCam.username, fixedCam.password, stale), info))).text).toContain('ter:NotAuthorized');
  });

  it('refuses DTDs, external entities and entity bombs without resolving anything', async () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl">&xxe;</GetSystemDateAndTime></s:Body></s:Envelope>`;
    const r1 = await post(xxe);
    expect(r1.status).toBe(400);
    expect(r1.text).toContain('SOAP-ENV:Fault');
    expect(r1.text).not.toContain('root:');
    const lol = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('');
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">${lol}]><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><x>&lol9;</x></s:Body></s:Envelope>`;
    const t0 = Date.now();
    const r2 = await post(bomb);
    expect(r2.status).toBe(400);
    expect(r2.text).toContain('ter:WellFormed');
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('faults malformed XML, non-SOAP bodies, unknown actions and oversized requests', async () => {
    for (const bad of ['<s:Envelope><s:Body><Get', 'plain text', '<a><b></a></b>', '<Envelope xmlns="x"><Header/></Envelope>', '']) {
      const r = await post(bad);
      expect(r.status).toBe(400);
      expect(r.text).toContain('SOAP-ENV:Fault');
    }
    const unknown = await post(env(token(fixedCam.username, fixedCam.password), '<Reboot xmlns="http://www.onvif.org/ver10/device/wsdl"/>'));
    expect(unknown.status).toBe(500);
    expect(unknown.text).toContain('ter:ActionNotSupported');
    const noPtz = await post(env(token(fixedCam.username, fixedCam.password), '<GetNodes xmlns="http://www.onvif.org/ver20/ptz/wsdl"/>'), '/onvif/ptz_service');
    expect(noPtz.status).toBe(404);
    const big = await post(env('', `<GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl">${'x'.repeat(100_000)}</GetSystemDateAndTime>`)).catch(() => ({ status: 413, text: '' }));
    expect(big.status).toBe(413);
    const ptzPost = await fetch(`http://${ptzCam.host}:${ptzCam.onvifPort}/onvif/ptz_service`, {
      method: 'POST',
      body: env(token(ptzCam.username, ptzCam.password), '<AbsoluteMove xmlns="http://www.onvif.org/ver20/ptz/wsdl"><ProfileToken>Profile_1</ProfileToken><Position><PanTilt xmlns="http://www.onvif.org/ver10/schema" x="7" y="0"/></Position></AbsoluteMove>'),
    });
    expect(ptzPost.status).toBe(400);
    expect(await ptzPost.text()).toContain('ter:InvalidPosition');
  });

  it('protects snapshots with Digest or Basic auth', async () => {
    const res = await fetch(fixedCam.snapshotUrl);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/Digest realm=/);
    const bad = await fetch(fixedCam.snapshotUrl, { headers: { Authorization: `Basic ${Buffer.from(`${fixedCam.username}:nope`).toString('base64')}` } });
    expect(bad.status).toBe(401);
  });
});
