import { afterEach, describe, expect, it } from 'vitest';
import { LiveEncoder } from './live-encoder';
import { NAL_SPS } from './h264';
import type { EncodedFrame } from './video-source';

let enc: LiveEncoder | undefined;
afterEach(() => enc?.stop());

const waitFor = async (cond: () => boolean, ms: number): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('LiveEncoder', () => {
  it('learns parameter sets, idles without viewers and encodes again on demand', async () => {
    enc = new LiveEncoder({
      fps: 25,
      now: Date.now,
      main: { width: 320, height: 180 },
      lingerMs: 200,
      draw: { width: 160, height: 96, fn: (ctx, w, h, now) => ((ctx.fillStyle = `hsl(${now % 360}, 50%, 50%)`), ctx.fillRect(0, 0, w, h)) },
    });
    await enc.start();
    expect(enc.main.sps[0] & 0x1f).toBe(NAL_SPS);
    expect(enc.sub.pps.length).toBeGreaterThan(0);
    await waitFor(() => !enc!.running, 3000);

    const frames: EncodedFrame[] = [];
    enc.sub.on('frame', (f) => frames.push(f));
    enc.sub.demand(true);
    await waitFor(() => frames.length >= 10, 10_000);
    expect(frames[0].keyframe).toBe(true);
    for (let i = 1; i < frames.length; i++) expect(frames[i].rtpTime).toBeGreaterThan(frames[i - 1].rtpTime);
    enc.sub.demand(false);
    await waitFor(() => !enc!.running, 3000);
  });
});
