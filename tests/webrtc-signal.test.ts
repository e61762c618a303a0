// Signalling against a real mediasoup worker, without a browser: every bad request gets a clear
// SignalError and changes nothing, and viewers that never finish ICE leave no transport behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignalError, SignalSession, Sfu, UnsupportedCodecError, type StreamRoom } from '../media/src/webrtc';

const GOOD_FINGERPRINT = { algorithm: 'sha-256', value: Array.from({ length: 32 }, () => 'AB').join(':') };

let sfu: Sfu;
let room: StreamRoom;

beforeAll(async () => {
  sfu = await Sfu.start({ workers: 1, connectTimeoutMs: 800 });
  room = await sfu.openStream('cam-1');
});
afterAll(() => sfu.close());

async function rejection(p: Promise<unknown>): Promise<SignalError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SignalError);
  return err as SignalError;
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('SignalSession input validation', () => {
  const session = () => new SignalSession(sfu, { authorize: (id) => id !== 'secret-cam', maxViewers: 2 });

  it('refuses malformed messages and unknown methods', async () => {
    const s = session();
    for (const bad of [null, 'hello', 42, [], { params: {} }, { method: 7 }, { method: 'toString' }, { method: '__proto__' }]) {
      expect((await rejection(s.handle(bad))).code).toBe('bad-request');
    }
    expect((await rejection(s.handle({ method: 'produce', params: {} }))).message).toMatch(/unknown method "produce"/);
  });

  it('refuses bad params with the path of the first error', async () => {
    const s = session();
    const e1 = await rejection(s.handle({ method: 'createTransport', params: { streamId: 'cam 1; drop' } }));
    expect(e1.code).toBe('bad-request');
    expect(e1.message).toMatch(/createTransport: invalid params at \/streamId/);
    expect((await rejection(s.handle({ method: 'createTransport', params: {} }))).message).toMatch(/\/streamId/);
    expect((await rejection(s.handle({ method: 'resume', params: { transportId: 5 } }))).code).toBe('bad-request');
    expect((await rejection(s.handle({ method: 'createTransport', params: 'cam-1' }))).code).toBe('bad-request');
  });

  it('refuses bad DTLS parameters before they reach the worker', async () => {
    const s = session();
    const { transportId } = (await s.handle({ method: 'createTransport', params: { streamId: 'cam-1' } })) as { transportId: string };
    const bad = [
      { fingerprints: [] },
      { fingerprints: [{ algorithm: 'md5', value: 'AB:CD' }] },
      { fingerprints: [{ algorithm: 'sha-256', value: 'not hex' }] },
      { fingerprints: [GOOD_FINGERPRINT], role: 'master' },
      { fingerprints: [{ ...GOOD_FINGERPRINT, extra: 1 }] },
      { fingerprints: Array(9).fill(GOOD_FINGERPRINT) },
    ];
    for (const dtlsParameters of bad) {
      const e = await rejection(s.handle({ method: 'connectTransport', params: { transportId, dtlsParameters } }));
      expect(e.code, JSON.stringify(dtlsParameters)).toBe('bad-request');
      expect(e.message).toMatch(/\/dtlsParameters/);
    }
    // Well-formed parameters are accepted (the handshake itself would then wait for the browser).
    await s.handle({ method: 'connectTransport', params: { transportId, dtlsParameters: { role: 'client', fingerprints: [GOOD_FINGERPRINT] } } });
    // Connecting twice is an error from mediasoup, reported, not thrown past the session.
    await expect(s.handle({ method: 'connectTransport', params: { transportId, dtlsParameters: { fingerprints: [GOOD_FINGERPRINT] } } })).rejects.toThrow();
    s.close();
  });

  it('refuses RTP capabilities it cannot serve', async () => {
    const s = session();
    const { transportId } = (await s.handle({ method: 'createTransport', params: { streamId: 'cam-1' } })) as { transportId: string };
    expect((await rejection(s.handle({ method: 'consume', params: { transportId, rtpCapabilities: { codecs: 'all' } } }))).code).toBe('bad-request');
    const vp8Only = { codecs: [{ kind: 'video', mimeType: 'video/VP8', clockRate: 90000, preferredPayloadType: 100, rtcpFeedback: [] }], headerExtensions: [] };
    const e = await rejection(s.handle({ method: 'consume', params: { transportId, rtpCapabilities: vp8Only } }));
    expect(e.code).toBe('unsupported');
    expect(e.message).toMatch(/H\.264/);
    const garbage = { codecs: [{ kind: 'video', mimeType: 'video/H264' }] };
    expect((await rejection(s.handle({ method: 'consume', params: { transportId, rtpCapabilities: garbage } }))).code).toBe('unsupported');
    expect((await rejection(s.handle({ method: 'resume', params: { transportId } }))).message).toMatch(/resume before consume/);
    s.close();
  });

  it('checks authorization, stream liveness, transport ownership and the per-connection limit', async () => {
    const s = session();
    const other = session();
    expect((await rejection(s.handle({ method: 'createTransport', params: { streamId: 'secret-cam' } }))).code).toBe('forbidden');
    expect((await rejection(s.handle({ method: 'createTransport', params: { streamId: 'cam-9' } }))).code).toBe('not-found');
    const { transportId } = (await s.handle({ method: 'createTransport', params: { streamId: 'cam-1' } })) as { transportId: string };
    // Another connection cannot touch this transport.
    expect((await rejection(other.handle({ method: 'close', params: { transportId } }))).code).toBe('not-found');
    await s.handle({ method: 'createTransport', params: { streamId: 'cam-1' } });
    expect((await rejection(s.handle({ method: 'createTransport', params: { streamId: 'cam-1' } }))).code).toBe('busy');
    await s.handle({ method: 'close', params: { transportId } });
    expect(s.viewerCount).toBe(1);
    s.close();
    other.close();
    expect((await rejection(s.handle({ method: 'getRouterRtpCapabilities' }))).message).toMatch(/closed/);
  });
});

describe('no leaked transports', () => {
  it('closes viewers that never complete ICE, after the connect timeout', async () => {
    const before = await sfu.transportCount();
    const s = new SignalSession(sfu, { authorize: () => true });
    const direct = await room.addViewer();
    const reason = new Promise((r) => direct.once('close', r));
    for (let i = 0; i < 5; i++) await s.handle({ method: 'createTransport', params: { streamId: 'cam-1' } });
    expect(await sfu.transportCount()).toBe(before + 6);
    expect(room.viewerCount).toBe(6);
    await until(async () => (await sfu.transportCount()) === before, 5_000);
    expect(s.viewerCount).toBe(0);
    expect(room.viewerCount).toBe(0);
    expect(sfu.stats().workers[0]!.viewers).toBe(0);
    expect(await reason).toBe('connect-timeout');
    s.close();
  });

  it('closes every viewer of a connection when the connection closes', async () => {
    const before = await sfu.transportCount();
    const s = new SignalSession(sfu, { authorize: () => true });
    await s.handle({ method: 'createTransport', params: { streamId: 'cam-1' } });
    await s.handle({ method: 'createTransport', params: { streamId: 'cam-1' } });
    s.close();
    expect(await sfu.transportCount()).toBe(before);
  });

  it('closes the viewers of a stream that stops', async () => {
    const cam2 = await sfu.openStream('cam-2');
    const before = await sfu.transportCount();
    const viewer = await cam2.addViewer();
    const reason = new Promise((r) => viewer.once('close', r));
    cam2.close();
    expect(await reason).toBe('stream-closed');
    expect(await sfu.transportCount()).toBe(before - 1);
    expect(sfu.getStream('cam-2')).toBeUndefined();
  });

  it('refuses a High-profile stream before opening anything', async () => {
    const before = await sfu.transportCount();
    await expect(sfu.openStream('cam-high', { profileLevelId: '640028' })).rejects.toThrow(UnsupportedCodecError);
    expect(await sfu.transportCount()).toBe(before);
    expect(sfu.getStream('cam-high')).toBeUndefined();
  });

  it('opens a stream once however many ask at the same time', async () => {
    const rooms = await Promise.all([sfu.openStream('cam-3'), sfu.openStream('cam-3'), sfu.openStream('cam-3')]);
    expect(new Set(rooms).size).toBe(1);
    rooms[0]!.close();
  });
});
