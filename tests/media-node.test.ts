// MediaNode lifecycle with real ingests: reference counting by reason, stop after the idle
// time, capacity, viewer counts and status events, HLS leases, and close() killing everything.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CapacityError, MediaNode, UnknownStreamError } from '../media/src/node';
import type { StreamStatus } from '../media/src/stream';
import { clip, ffmpegChildren, waitUntil } from './media-fixtures';

let src: string;
let node: MediaNode;
beforeAll(async () => {
  src = await clip('baseline');
});
afterEach(async () => {
  await node?.close();
  expect(ffmpegChildren()).toEqual([]);
});

describe('MediaNode', () => {
  it('runs one ingest per stream however many users, and stops it after the idle time', async () => {
    node = new MediaNode({ id: 'n1', address: 'http://10.0.0.5:8080', idleStopMs: 400 });
    const stopped: string[] = [];
    node.on('stopped', (id) => stopped.push(id));
    const a = node.acquire('cam-1', { url: src }, 'webrtc:peer-a');
    const b = node.acquire('cam-1', undefined, 'webrtc:peer-b');
    node.acquire('cam-1', undefined, 'frames:plates');
    node.acquire('cam-1', undefined, 'webrtc:peer-a'); // the same peer twice counts twice
    expect(a).toBe(b);
    await waitUntil(() => a.ingest.state === 'live', 8000, 'live');
    expect(ffmpegChildren()).toHaveLength(1);
    expect(node.status('cam-1')).toMatchObject({ viewers: 3, state: 'live' });
    expect(node.info()).toMatchObject({ id: 'n1', address: 'http://10.0.0.5:8080', capacity: 64, load: 1 });

    node.release('cam-1', 'webrtc:peer-a');
    node.release('cam-1', 'webrtc:peer-a');
    node.release('cam-1', 'webrtc:peer-a'); // one too many: ignored
    node.release('cam-1', 'webrtc:peer-b');
    expect(node.status('cam-1')!.viewers).toBe(0);
    node.release('cam-1', 'frames:plates');
    // Re-acquired inside the idle time: the same ingest keeps running.
    await new Promise((r) => setTimeout(r, 150));
    expect(node.acquire('cam-1', undefined, 'pin:wall')).toBe(a);
    node.release('cam-1', 'pin:wall');
    await waitUntil(() => stopped.includes('cam-1'), 3000, 'the idle stop');
    expect(node.getStream('cam-1')).toBeUndefined();
    expect(node.info().load).toBe(0);
    await waitUntil(() => ffmpegChildren().length === 0, 3000, 'ffmpeg to exit');
  });

  it('refuses streams beyond capacity and unknown or malformed ids', () => {
    node = new MediaNode({ id: 'n2', address: 'http://127.0.0.1', capacity: 1 });
    node.acquire('a', { url: src }, 'pin:x');
    expect(() => node.acquire('b', { url: src }, 'pin:x')).toThrow(CapacityError);
    expect(() => node.acquire('not-assigned', undefined, 'pin:x')).toThrow(UnknownStreamError);
    expect(() => node.acquire('../etc', { url: src }, 'pin:x')).toThrow(/invalid stream id/);
    expect(() => node.assign('a b', { url: src })).toThrow(/invalid stream id/);
    expect(() => node.assign('d', { url: 'concat:/etc/passwd' })).toThrow(/unsupported source scheme/);
    expect(() => node.acquire('c', { url: 'gopher://x/y' }, 'pin:x')).toThrow(/unsupported source scheme/);
  });

  it('emits status changes for the wall and lets HLS leases lapse', async () => {
    node = new MediaNode({ id: 'n3', address: 'http://127.0.0.1', idleStopMs: 100, hlsViewerLeaseMs: 2000 });
    node.assign('cam', { url: src });
    const seen: StreamStatus[] = [];
    let stopped = false;
    node.on('status', (s) => seen.push(s));
    node.on('stopped', () => (stopped = true));
    node.touchHlsViewer('cam', '10.0.0.9');
    node.touchHlsViewer('cam', '10.0.0.9');
    node.touchHlsViewer('cam', '10.0.0.10');
    await waitUntil(() => seen.some((s) => s.state === 'live'), 8000, 'a live status');
    expect(node.status('cam')!.viewers).toBe(2);
    const live = seen.find((s) => s.state === 'live')!;
    expect(live).toMatchObject({ streamId: 'cam', codec: 'h264', width: 640, height: 360, fps: 25 });
    expect(live.startedAt).toBeGreaterThan(Date.now() - 10_000);
    await waitUntil(() => stopped, 5000, 'the leases to lapse and the stream to stop');
    expect(seen.at(-1)).toMatchObject({ state: 'idle' });
  });

  it('close() stops every stream and its decoders at once', async () => {
    node = new MediaNode({ id: 'n4', address: 'http://127.0.0.1' });
    for (const id of ['a', 'b', 'c']) node.acquire(id, { url: src }, 'pin:x');
    const sub = node.subscribeFrames('a', { fps: 1, width: 160 });
    await sub.next();
    expect(ffmpegChildren()).toHaveLength(4);
    await node.close();
    expect(ffmpegChildren()).toEqual([]);
    expect(sub.isClosed).toBe(true);
    expect(() => node.acquire('a', { url: src }, 'pin:x')).toThrow(/closed/);
  });
});
