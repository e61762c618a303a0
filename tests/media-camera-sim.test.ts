// The ingest against the camera simulator over real RTSP (Digest auth, TCP): live, a frozen
// camera noticed within seconds and recovered by itself, dropped connections, a wrong password.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CameraSimHandle, SimCamera } from '../camera-sim/src/index';
import { startCameraSim } from '../camera-sim/src/index';
import { MediaNode } from '../media/src/node';
import type { StreamStatus } from '../media/src/stream';
import { ffmpegChildren as allFfmpegChildren, waitUntil } from './media-fixtures';

let sim: CameraSimHandle;
// The simulator runs in this process too; only the node's ffmpegs are ours to count.
let simPids = new Set<number>();
const ffmpegChildren = () => allFfmpegChildren().filter((p) => !simPids.has(p));
let cam: SimCamera;
let node: MediaNode;
const statuses: StreamStatus[] = [];
const withCredentials = (url: string, user: string, pass: string) => url.replace('rtsp://', `rtsp://${user}:${pass}@`);

beforeAll(async () => {
  sim = await startCameraSim({ cameras: 1, discovery: false });
  cam = sim.cameras[0];
  simPids = new Set(allFfmpegChildren());
  node = new MediaNode({
    id: 'sim-node',
    address: 'http://127.0.0.1',
    idleStopMs: 200,
    ingest: { stallTimeoutMs: 3000, ioTimeoutMs: 2500, backoff: { initialMs: 300, maxMs: 1500, jitter: 0 }, offlineAfterFailures: 3 },
  });
  node.on('status', (s) => statuses.push(s));
  node.assign('main', { url: withCredentials(cam.rtspMainUrl, cam.username, cam.password), profile: 'main' });
  node.assign('wrong-password', { url: withCredentials(cam.rtspSubUrl, cam.username, 'nope'), profile: 'sub' });
});

afterAll(async () => {
  await node?.close();
  await sim?.stop();
  expect(ffmpegChildren()).toEqual([]);
});

describe('ingest from the camera simulator', () => {
  it('relays the RTSP main profile and reports it', async () => {
    const stream = node.acquire('main', undefined, 'pin:test');
    await waitUntil(() => stream.ingest.state === 'live', 15_000, 'live');
    const status = node.status('main')!;
    expect(status).toMatchObject({ state: 'live', codec: 'h264', lastError: null });
    expect(['Main', 'Baseline', 'Constrained Baseline']).toContain(status.profile);
    expect(status.width).toBeGreaterThan(0);
    expect(statuses.map((s) => s.state)).toContain('starting');
  });

  it('notices a frozen camera within seconds and recovers by itself when it sends again', async () => {
    const stream = node.getStream('main')!;
    cam.faults.freeze(true);
    const frozenAt = Date.now();
    try {
      await waitUntil(() => stream.ingest.state !== 'live', 10_000, 'the stall to be noticed');
      expect(Date.now() - frozenAt).toBeLessThan(5000);
      expect(stream.ingest.state).toBe('reconnecting');
      expect(stream.ingest.lastError).toMatch(/stalled|timed out|Connection/i);
    } finally {
      cam.faults.freeze(false);
    }
    await waitUntil(() => stream.ingest.state === 'live', 15_000, 'live again');
    expect(ffmpegChildren()).toHaveLength(1);
  });

  it('reconnects after the camera drops every connection', async () => {
    const stream = node.getStream('main')!;
    const before = stream.packager.discontinuitySequence + stream.packager.segments.filter((s) => s.discontinuity).length;
    cam.faults.dropConnections();
    await waitUntil(() => stream.ingest.state !== 'live', 8000, 'the drop to be noticed');
    await waitUntil(() => stream.ingest.state === 'live', 15_000, 'live again');
    await waitUntil(() => stream.packager.segments.filter((s) => s.discontinuity).length + stream.packager.discontinuitySequence > before, 8000, 'a discontinuity in the playlist');
    node.release('main', 'pin:test');
  });

  it('goes offline with a clear error on a wrong password, and leaves no process', async () => {
    const stream = node.acquire('wrong-password', undefined, 'pin:test');
    await waitUntil(() => stream.ingest.state === 'offline', 15_000, 'offline');
    expect(stream.ingest.lastError).toMatch(/401|Unauthorized/);
    expect(stream.ingest.lastError).not.toContain('nope');
    node.release('wrong-password', 'pin:test');
    await waitUntil(() => ffmpegChildren().length === 0, 5000, 'no ffmpeg left');
  });
});
