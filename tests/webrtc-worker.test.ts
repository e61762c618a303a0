// Fails loudly when the mediasoup worker binary (built by scripts/build-mediasoup-worker.sh) is
// missing or broken: every WebRTC feature depends on it.
import { afterAll, describe, expect, it } from 'vitest';
import { cachedWorkerBinPath, mediasoupWorkerBin, planWorkerCount, Sfu, WorkerBinaryMissingError } from '../media/src/webrtc';

describe('mediasoup worker binary', () => {
  let sfu: Sfu | undefined;
  afterAll(() => sfu?.close());

  it('is built and cached outside the clone, keyed by version and build script', () => {
    const bin = cachedWorkerBinPath();
    expect(bin).toMatch(/qianliyan\/mediasoup-worker-3\.\d+\.\d+-[0-9a-f]{12}\/mediasoup-worker$/);
    expect(bin.startsWith(process.cwd())).toBe(false);
    expect(() => mediasoupWorkerBin(), 'run `npm run bootstrap` to build the mediasoup worker').not.toThrow();
  });

  it('names the fix when the binary is missing', () => {
    const saved = process.env.MEDIASOUP_WORKER_BIN;
    process.env.MEDIASOUP_WORKER_BIN = '/nonexistent/mediasoup-worker';
    try {
      expect(() => mediasoupWorkerBin()).toThrow(WorkerBinaryMissingError);
      expect(() => mediasoupWorkerBin()).toThrow(/npm run bootstrap/);
    } finally {
      if (saved === undefined) delete process.env.MEDIASOUP_WORKER_BIN;
      else process.env.MEDIASOUP_WORKER_BIN = saved;
    }
  });

  it('spawns a worker that creates a router offering the playable H.264 profiles', async () => {
    sfu = await Sfu.start({ workers: 1 });
    const [pid] = sfu.workerPids();
    expect(pid).toBeGreaterThan(0);
    const h264 = sfu.rtpCapabilities.codecs!.filter((c) => c.mimeType === 'video/H264');
    expect(h264.map((c) => c.parameters?.['profile-level-id'])).toEqual(['42e01f', '42001f', '4d001f']);
    // A stream and a viewer transport exercise the worker's ICE/DTLS setup (the patched OpenSSL path).
    const room = await sfu.openStream('probe');
    const viewer = await room.addViewer();
    expect(viewer.transportParams.dtlsParameters.fingerprints.length).toBeGreaterThan(0);
    expect(await sfu.transportCount()).toBe(2);
    room.close();
    expect(await sfu.transportCount()).toBe(0);
  });

  it('replaces a worker that dies and closes the streams it held, so their ingest can reopen them', async () => {
    const s = sfu!;
    const room = await s.openStream('victim');
    const [oldPid] = s.workerPids() as [number];
    const died = new Promise<number>((r) => s.once('workerdied', (index) => r(index)));
    const closed = new Promise((r) => room.once('close', r));
    process.kill(oldPid, 'SIGKILL');
    expect(await died).toBe(0);
    expect(await closed).toBe('router-closed');
    expect(s.getStream('victim')).toBeUndefined();
    const deadline = Date.now() + 10_000;
    while (s.workerPids()[0] === oldPid && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(s.workerPids()[0]).not.toBe(oldPid);
    const reopened = await s.openStream('victim');
    expect(reopened.getRtpInput().port).toBeGreaterThan(0);
    expect(await s.transportCount()).toBe(1);
  });

  it('plans workers from the cores, leaving one for Node and ffmpeg', () => {
    expect(planWorkerCount(1)).toBe(1);
    expect(planWorkerCount(2)).toBe(1);
    expect(planWorkerCount(8)).toBe(7);
  });
});
