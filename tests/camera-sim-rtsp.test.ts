// RTSP against a live simulated camera over real sockets: ffprobe on both transports, Digest,
// many clients on one source, bad input, keep-alive and session timeout, RTCP sender reports.
import { execFile } from 'node:child_process';
import dgram from 'node:dgram';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestRtspClient, waitFor } from '../camera-sim/test-support/rtsp-client';
import { startCameraSim, type CameraSimHandle, type SimCamera } from '../camera-sim/src/index';

const run = promisify(execFile);
let sim: CameraSimHandle;
let cam: SimCamera;

function authed(url: string, c = cam): string {
  return url.replace('rtsp://', `rtsp://${c.username}:${c.password}@`);
}

async function ffprobe(url: string, transport: 'tcp' | 'udp'): Promise<Record<string, unknown>> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-rtsp_transport', transport, '-timeout', '10000000', '-show_entries', 'stream=codec_name,profile,width,height,r_frame_rate', '-of', 'json', url], { timeout: 30_000 });
  return (JSON.parse(stdout) as { streams: Record<string, unknown>[] }).streams[0];
}

beforeAll(async () => {
  sim = await startCameraSim({ cameras: [{ name: 'clock', location: 'lab', scene: 'clock' }], discovery: false, rtspSessionTimeoutSec: 5 });
  cam = sim.cameras[0];
});
afterAll(() => sim?.stop());

describe('RTSP server', () => {
  it('serves main and sub to ffprobe over TCP and UDP', async () => {
    for (const transport of ['tcp', 'udp'] as const) {
      const main = await ffprobe(authed(cam.rtspMainUrl), transport);
      expect(main).toMatchObject({ codec_name: 'h264', width: 1280, height: 720, r_frame_rate: '25/1' });
      expect(String(main.profile)).toMatch(/Baseline|Main/);
      expect(await ffprobe(authed(cam.rtspSubUrl), transport)).toMatchObject({ codec_name: 'h264', width: 640, height: 360 });
    }
  });

  it('rejects a wrong password with 401 and a Digest challenge', async () => {
    const c = new TestRtspClient(cam.host, cam.rtspPort, { username: cam.username, password: 'wrong' });
    await c.connect();
    const r = await c.request('DESCRIBE', cam.rtspMainUrl);
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toMatch(/^Digest realm="[^"]+", nonce="[0-9a-f]+"/);
    const anon = new TestRtspClient(cam.host, cam.rtspPort);
    await anon.connect();
    expect((await anon.request('DESCRIBE', cam.rtspMainUrl)).status).toBe(401);
    await expect(ffprobe(authed(cam.rtspMainUrl, { ...cam, password: 'nope' }), 'tcp')).rejects.toThrow(/401|authorization/i);
    c.close();
    anon.close();
  });

  it('describes H.264 with sprop-parameter-sets and profile-level-id', async () => {
    const c = new TestRtspClient(cam.host, cam.rtspPort, cam);
    await c.connect();
    const r = await c.request('DESCRIBE', cam.rtspMainUrl, { Accept: 'application/sdp' });
    expect(r.status).toBe(200);
    expect(r.body).toMatch(/a=rtpmap:96 H264\/90000/);
    expect(r.body).toMatch(/profile-level-id=[0-9a-f]{6};sprop-parameter-sets=[A-Za-z0-9+/=]+,[A-Za-z0-9+/=]+/);
    c.close();
  });

  it('feeds 20 concurrent clients from one source, each starting on a keyframe with its own sequence', async () => {
    const clients = Array.from({ length: 20 }, () => new TestRtspClient(cam.host, cam.rtspPort, cam));
    await Promise.all(clients.map((c) => c.connect()));
    await Promise.all(clients.map((c) => c.play(cam.rtspSubUrl)));
    await waitFor(() => clients.every((c) => c.rtp.length > 60), 15_000, 'RTP on every client');
    for (const c of clients) {
      // first packet is an SPS (type 7) from the keyframe
      expect(c.rtp[0][12] & 0x1f).toBe(7);
      const seqs = c.rtp.map((p) => p.readUInt16BE(2));
      for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe((seqs[i - 1] + 1) & 0xffff);
    }
    const ssrcs = new Set(clients.map((c) => c.rtp[0].readUInt32BE(8)));
    expect(ssrcs.size).toBe(1);
    for (const c of clients) c.close();
  });

  it('sends RTCP sender reports with a compound SDES on the interleaved RTCP channel', async () => {
    const c = new TestRtspClient(cam.host, cam.rtspPort, cam);
    await c.connect();
    await c.play(cam.rtspSubUrl);
    await waitFor(() => c.rtcp.length > 0, 8000, 'an RTCP packet');
    const sr = c.rtcp[0];
    expect(sr[1]).toBe(200);
    expect(sr[28 + 1]).toBe(202);
    const ntpMs = (sr.readUInt32BE(8) - 2_208_988_800) * 1000 + (sr.readUInt32BE(12) / 2 ** 32) * 1000;
    expect(Math.abs(ntpMs - Date.now())).toBeLessThan(2000);
    c.close();
  });

  it('answers bad input with RTSP errors and keeps serving', async () => {
    const c = new TestRtspClient(cam.host, cam.rtspPort, cam);
    await c.connect();
    const raw = async (text: string): Promise<number> => {
      const wait = c.nextResponse();
      c.writeRaw(text);
      return (await wait).status;
    };
    expect(await raw('FROB rtsp://x/main RTSP/1.0\r\nCSeq: 1\r\n\r\n')).toBe(501);
    expect(await raw(`OPTIONS ${cam.rtspMainUrl} RTSP/1.0\r\nCSeq: banana\r\n\r\n`)).toBe(400);
    expect(await raw(`OPTIONS ${cam.rtspMainUrl} RTSP/1.0\r\n\r\n`)).toBe(400);
    expect(await raw('this is not rtsp\r\nCSeq: 2\r\n\r\n')).toBe(400);
    expect(await raw(`OPTIONS ${cam.rtspMainUrl} RTSP/2.0\r\nCSeq: 3\r\n\r\n`)).toBe(505);
    expect(await raw(`RECORD ${cam.rtspMainUrl} RTSP/1.0\r\nCSeq: 4\r\n\r\n`)).toBe(405);
    expect((await c.request('DESCRIBE', cam.rtspMainUrl.replace('/main', '/nope'))).status).toBe(404);
    expect((await c.request('PLAY', cam.rtspMainUrl, { Session: '12345' })).status).toBe(454);
    expect((await c.request('SETUP', `${cam.rtspMainUrl}/trackID=1`, { Transport: 'RTP/AVP;multicast;port=5000-5001' })).status).toBe(461);
    expect((await c.request('SETUP', `${cam.rtspMainUrl}/trackID=1`, { Transport: 'RTP/AVP;unicast;client_port=99999-100000' })).status).toBe(461);
    expect((await c.request('DESCRIBE', 'http://not-rtsp/main')).status).toBe(400);
    const unsupported = await c.request('DESCRIBE', cam.rtspMainUrl, { Require: 'com.example.magic' });
    expect([unsupported.status, unsupported.headers.get('unsupported')]).toEqual([551, 'com.example.magic']);
    // a body larger than the limit closes the connection after 413
    expect(await raw(`SET_PARAMETER ${cam.rtspMainUrl} RTSP/1.0\r\nCSeq: 5\r\nContent-Length: 999999\r\n\r\n`)).toBe(413);
    await waitFor(() => c.closed, 3000, 'close after 413');

    const huge = new TestRtspClient(cam.host, cam.rtspPort, cam);
    await huge.connect();
    const wait = huge.nextResponse();
    huge.writeRaw(`OPTIONS ${cam.rtspMainUrl} RTSP/1.0\r\nCSeq: 1\r\nX-Junk: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect((await wait).status).toBe(400);
    await waitFor(() => huge.closed, 3000, 'close after huge header');

    const ok = new TestRtspClient(cam.host, cam.rtspPort, cam);
    await ok.connect();
    expect((await ok.request('OPTIONS', cam.rtspMainUrl)).headers.get('public')).toContain('GET_PARAMETER');
    ok.close();
  });

  it('survives random bytes on many connections', async () => {
    let seed = 42;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const junk = Array.from({ length: 30 }, () => new TestRtspClient(cam.host, cam.rtspPort));
    await Promise.all(junk.map((j) => j.connect()));
    for (const j of junk) {
      for (let k = 0; k < 20; k++) {
        const b = Buffer.alloc(Math.floor(rand() * 3000));
        for (let i = 0; i < b.length; i++) b[i] = rand() < 0.1 ? 0x0a : rand() < 0.05 ? 0x24 : Math.floor(rand() * 256);
        j.writeRaw(b);
      }
    }
    await new Promise((r) => setTimeout(r, 500));
    for (const j of junk) j.close();
    const ok = new TestRtspClient(cam.host, cam.rtspPort, cam);
    await ok.connect();
    expect((await ok.request('DESCRIBE', cam.rtspMainUrl)).status).toBe(200);
    ok.close();
  });

  it('streams over UDP, keeps a session alive with GET_PARAMETER and expires an idle one', async () => {
    const rtpSock = dgram.createSocket('udp4');
    await new Promise<void>((r) => rtpSock.bind(0, '127.0.0.1', () => r()));
    const port = rtpSock.address().port;
    let packets = 0;
    rtpSock.on('message', () => packets++);
    const c = new TestRtspClient(cam.host, cam.rtspPort, cam);
    await c.connect();
    const session = await c.play(cam.rtspSubUrl, `RTP/AVP;unicast;client_port=${port}-${port + 1}`);
    await waitFor(() => packets > 30, 8000, 'UDP RTP');
    // keep-alive for longer than the 5 s timeout
    for (let i = 0; i < 7; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      expect((await c.request('GET_PARAMETER', cam.rtspSubUrl, { Session: session })).status).toBe(200);
    }
    // then go quiet: the session must expire and the packets stop
    await new Promise((r) => setTimeout(r, 7000));
    expect((await c.request('GET_PARAMETER', cam.rtspSubUrl, { Session: session })).status).toBe(454);
    const before = packets;
    await new Promise((r) => setTimeout(r, 500));
    expect(packets - before).toBeLessThan(5);
    c.close();
    rtpSock.close();
  }, 45_000);

  it('tears a session down on TEARDOWN', async () => {
    const c = new TestRtspClient(cam.host, cam.rtspPort, cam);
    await c.connect();
    const session = await c.play(cam.rtspSubUrl);
    expect((await c.request('TEARDOWN', cam.rtspSubUrl, { Session: session })).status).toBe(200);
    expect((await c.request('PLAY', cam.rtspSubUrl, { Session: session })).status).toBe(454);
    c.close();
  });
});
