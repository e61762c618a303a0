import { afterEach, describe, expect, it } from 'vitest';
import type { Clip } from './clip';
import { LoopSource } from './loop-source';
import type { EncodedFrame } from './video-source';

const clip: Clip = {
  path: 'mem',
  config: { sps: Buffer.from([0x67]), pps: Buffer.from([0x68]), lengthSize: 4 },
  frames: [0, 1, 2, 3, 4].map((i) => ({ nals: [Buffer.from([i === 0 ? 0x65 : 0x41, i])], keyframe: i === 0, dtsMs: i * 40 })),
  width: 16,
  height: 16,
};

let src: LoopSource | undefined;
afterEach(() => src?.stop());

describe('LoopSource', () => {
  it('wraps the clip with continuous RTP timestamps and can freeze', async () => {
    src = new LoopSource(clip, 100, Date.now);
    const got: EncodedFrame[] = [];
    src.on('frame', (f) => got.push(f));
    src.start();
    await new Promise((r) => setTimeout(r, 160));
    expect(got.length).toBeGreaterThan(8); // wrapped at least once
    got.forEach((f, i) => {
      expect(f.rtpTime).toBe(i * 900);
      expect(f.nals[0][1]).toBe(i % 5);
      expect(f.keyframe).toBe(i % 5 === 0);
    });
    src.freeze(true);
    const n = got.length;
    await new Promise((r) => setTimeout(r, 60));
    expect(got.length).toBe(n);
    src.freeze(false);
    await new Promise((r) => setTimeout(r, 60));
    // frozen time is skipped, not replayed: timestamps jump forward
    expect(got[n].rtpTime - got[n - 1].rtpTime).toBeGreaterThan(900);
  });
});
