// The supervised ingest against real ffmpeg: live from a file, RTP legs, codec gating and
// transcode, and the bad paths — refused connection, a silent server, a source that stalls.
import dgram from 'node:dgram';
import { createReadStream } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Ingest, type IngestState } from '../media/src/ingest/ingest';
import { clip, ffmpegChildren, waitUntil } from './media-fixtures';

const fast = { backoff: { initialMs: 200, maxMs: 1000, jitter: 0 }, stallTimeoutMs: 2500, ioTimeoutMs: 2000 };
const ingests: Ingest[] = [];
function track(i: Ingest): { states: IngestState[] } {
  ingests.push(i);
  const seen = { states: [i.state] };
  i.on('state', (s) => seen.states.push(s));
  return seen;
}

afterEach(async () => {
  await Promise.all(ingests.splice(0).map((i) => i.stop()));
  expect(ffmpegChildren()).toEqual([]);
});

let baseline: string;
let high: string;
let hevc: string;
beforeAll(async () => {
  [baseline, high, hevc] = await Promise.all([clip('baseline'), clip('high'), clip('hevc'), clip('baseline', 'ts')]);
});

describe('Ingest', () => {
  it('goes live from a file, reports the codec, and emits keyframe-led 200 ms fragments', async () => {
    const ingest = new Ingest({ url: baseline }, fast);
    const seen = track(ingest);
    const frags: { independent: boolean; duration: number }[] = [];
    ingest.on('fragment', (f) => frags.push({ independent: f.info.independent, duration: f.duration }));
    ingest.start();
    await waitUntil(() => frags.length >= 6, 8000, 'six fragments');
    expect(seen.states.slice(0, 3)).toEqual(['idle', 'starting', 'live']);
    expect(ingest.codec).toMatchObject({ codec: 'h264', profile: 'Constrained Baseline', width: 640, height: 360, fps: 25 });
    expect(ingest.init?.track).toMatchObject({ width: 640, height: 360 });
    expect(frags[0].independent).toBe(true);
    expect(frags.slice(0, 6).map((f) => f.independent)).toEqual([true, false, false, false, false, true]);
    for (const f of frags) expect(f.duration).toBeCloseTo(0.2, 2);
    expect(ffmpegChildren()).toEqual([ingest.pid]);
    await ingest.stop();
    expect(ingest.state).toBe('idle');
  });

  it('sends an RTP leg from the same ffmpeg with the requested payload type and SSRC', async () => {
    const sock = dgram.createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
    const port = (sock.address() as AddressInfo).port;
    const packets: Buffer[] = [];
    sock.on('message', (m) => packets.push(m));
    try {
      const ingest = new Ingest({ url: baseline }, fast);
      track(ingest);
      ingest.start();
      await waitUntil(() => ingest.state === 'live', 8000, 'live');
      ingest.addRtpOutput({ ip: '127.0.0.1', port, rtcpPort: port, payloadType: 102, ssrc: 0x1234abcd });
      await waitUntil(() => packets.filter((p) => (p[1] & 0x7f) === 102).length > 20, 8000, 'RTP packets');
      const rtp = packets.find((p) => (p[1] & 0x7f) === 102)!;
      expect(rtp[0] >> 6).toBe(2);
      expect(rtp.readUInt32BE(8)).toBe(0x1234abcd);
      await waitUntil(() => ingest.state === 'live', 8000, 'live again after the restart');
      expect(ffmpegChildren()).toHaveLength(1);
      expect(() => ingest.addRtpOutput({ ip: '127.0.0.1', port, payloadType: 102, ssrc: 1 })).toThrow(/already added/);
    } finally {
      sock.close();
    }
  });

  it('stops at unsupported_codec with a reason for H.264 High, and leaves no process', async () => {
    const ingest = new Ingest({ url: high }, fast);
    track(ingest);
    ingest.start();
    await waitUntil(() => ingest.state === 'unsupported_codec', 8000, 'unsupported_codec');
    expect(ingest.lastError).toMatch(/H\.264 High profile/);
    await waitUntil(() => ffmpegChildren().length === 0, 3000, 'ffmpeg to exit');
  });

  it('stops at unsupported_codec for HEVC', async () => {
    const ingest = new Ingest({ url: hevc }, fast);
    track(ingest);
    ingest.start();
    await waitUntil(() => ingest.state === 'unsupported_codec', 8000, 'unsupported_codec');
    expect(ingest.codec?.codec).toBe('hevc');
    expect(ingest.lastError).toMatch(/HEVC \(H\.265\): browsers cannot play it/);
  });

  it('transcodes H.264 High to Constrained Baseline when the camera opts in', async () => {
    const ingest = new Ingest({ url: high, transcode: true }, fast);
    track(ingest);
    let frags = 0;
    ingest.on('fragment', () => frags++);
    ingest.start();
    await waitUntil(() => frags >= 3, 15000, 'transcoded fragments');
    expect(ingest.state).toBe('live');
    expect(ingest.init!.data.includes(Buffer.from('avcC'))).toBe(true);
    // avcC: configurationVersion, then AVCProfileIndication 66 = Baseline
    const avcC = ingest.init!.data.indexOf(Buffer.from('avcC'));
    expect(ingest.init!.data[avcC + 5]).toBe(66);
  });

  it('goes reconnecting then offline with the error when the camera refuses connections', async () => {
    const ingest = new Ingest({ url: 'rtsp://admin:pw@127.0.0.1:1/stream' }, { ...fast, offlineAfterFailures: 2 });
    const seen = track(ingest);
    ingest.start();
    await waitUntil(() => ingest.state === 'offline', 8000, 'offline');
    expect(seen.states).toEqual(['idle', 'starting', 'reconnecting', 'offline']);
    expect(ingest.lastError).toMatch(/Connection refused/);
    expect(ingest.lastError).not.toContain('pw');
  });

  it('detects a camera that accepts the connection but never answers', async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const ingest = new Ingest({ url: `rtsp://127.0.0.1:${(silent.address() as AddressInfo).port}/s` }, fast);
      track(ingest);
      const t0 = Date.now();
      ingest.start();
      await waitUntil(() => ingest.state === 'reconnecting', 6000, 'reconnecting');
      expect(Date.now() - t0).toBeLessThan(4000);
      expect(ingest.lastError).toBeTruthy();
    } finally {
      silent.close();
    }
  });

  describe('a source that stalls mid-stream', () => {
    let server: http.Server;
    let url: string;
    beforeAll(async () => {
      const ts = await clip('baseline', 'ts');
      // Sends 6 s of video at once, then keeps the connection open without another byte.
      server = http.createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'video/mp2t' });
        createReadStream(ts).pipe(res, { end: false });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cam.ts`;
    });
    afterAll(() => {
      server.closeAllConnections();
      server.close();
    });

    it('is noticed by the watchdog within seconds and restarted', async () => {
      const ingest = new Ingest({ url }, { ...fast, ioTimeoutMs: 20_000 });
      const seen = track(ingest);
      ingest.start();
      await waitUntil(() => ingest.state === 'live', 8000, 'live');
      const liveAt = Date.now();
      await waitUntil(() => ingest.state === 'reconnecting', 8000, 'reconnecting');
      expect(Date.now() - liveAt).toBeLessThan(fast.stallTimeoutMs + 1500);
      expect(ingest.lastError).toMatch(/stalled: no media for 2.5 s/);
      await waitUntil(() => ingest.state === 'live', 8000, 'live after the restart');
      expect(seen.states.slice(0, 5)).toEqual(['idle', 'starting', 'live', 'reconnecting', 'live']);
    });
  });
});
