// Analytics frames from the same ingest: decoded only while someone subscribes, scaled,
// at the requested low rate; the node stops everything when the last subscriber leaves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame } from '../media/src/frames/frame-decoder';
import { MediaNode } from '../media/src/node';
import { clip, ffmpegChildren, waitUntil } from './media-fixtures';

let node: MediaNode;
beforeAll(async () => {
  node = new MediaNode({ id: 'frames-node', address: 'http://127.0.0.1', idleStopMs: 300 });
  node.assign('cam', { url: await clip('baseline') });
});
afterAll(async () => {
  await node.close();
  expect(ffmpegChildren()).toEqual([]);
});

describe('subscribeFrames', () => {
  it('delivers scaled RGB frames at the requested rate, and a second subscriber shares the decoder', async () => {
    const sub = node.subscribeFrames('cam', { fps: 4, width: 320 });
    const twin = node.subscribeFrames('cam', { fps: 4, width: 320 });
    const frames: Frame[] = [];
    const t0 = Date.now();
    for await (const f of sub) {
      frames.push(f);
      if (frames.length === 12) break; // leaving the loop closes the subscription
    }
    const elapsed = Date.now() - t0;
    expect(sub.isClosed).toBe(true);
    for (const f of frames) {
      expect(f).toMatchObject({ width: 320, height: 180, format: 'rgb24' });
      expect(f.data.length).toBe(320 * 180 * 3);
    }
    expect(frames.some((f) => f.data.some((b) => b > 0))).toBe(true);
    // 12 frames at 4 fps: the last 11 intervals take ~2.75 s (startup comes first).
    const span = frames[11].capturedAt - frames[1].capturedAt;
    expect(span).toBeGreaterThan(1800);
    expect(span).toBeLessThan(4500);
    expect(elapsed).toBeLessThan(15000);
    expect(node.getStream('cam')!.frames.decoderCount).toBe(1);
    expect(ffmpegChildren()).toHaveLength(2); // one ingest, one decoder
    twin.close();
    await waitUntil(() => !node.getStream('cam'), 3000, 'the stream to stop after its last user');
    await waitUntil(() => ffmpegChildren().length === 0, 3000, 'no ffmpeg left');
  });

  it('caps frames at 640×360 and gives RGBA when asked', async () => {
    const sub = node.subscribeFrames('cam', { fps: 2, format: 'rgba' });
    const { value } = await sub.next();
    sub.close();
    expect(value).toMatchObject({ width: 640, height: 360, format: 'rgba' });
    expect((value as Frame).data.length).toBe(640 * 360 * 4);
  });

  it('keeps only the newest frames for a slow consumer', async () => {
    const sub = node.subscribeFrames('cam', { fps: 5, width: 160 });
    await sub.next();
    await new Promise((r) => setTimeout(r, 2000));
    expect(sub.dropped).toBeGreaterThan(3);
    const a = (await sub.next()).value as Frame;
    const b = (await sub.next()).value as Frame;
    expect(b.seq).toBeGreaterThan(a.seq);
    sub.close();
  });

  it('rejects bad options without leaving the stream held', async () => {
    await waitUntil(() => !node.getStream('cam') && ffmpegChildren().length === 0, 5000, 'idle');
    expect(() => node.subscribeFrames('cam', { fps: 30 })).toThrow(RangeError);
    expect(() => node.subscribeFrames('cam', { width: 4000 })).toThrow(/width must be/);
    expect(() => node.subscribeFrames('cam', { fps: 0 })).toThrow(/fps must be/);
    expect(() => node.subscribeFrames('unknown-cam')).toThrow(/not assigned/);
    expect(node.getStream('cam')).toBeUndefined();
    expect(ffmpegChildren()).toEqual([]);
  });
});
