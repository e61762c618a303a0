import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BoxSplitter, readFragmentInfo, readInitInfo } from './mp4-boxes';

// 2 s of 320×180 at 25 fps, GOP 1 s, fragmented the way the ingest does it.
const fmp4 = execFileSync('ffmpeg', [
  '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25', '-t', '2',
  '-c:v', 'libx264', '-profile:v', 'baseline', '-g', '25', '-sc_threshold', '0', '-pix_fmt', 'yuv420p',
  '-f', 'mp4', '-movflags', 'frag_keyframe+empty_moov+default_base_moof', '-frag_duration', '200000', 'pipe:1',
]);

describe('BoxSplitter', () => {
  it('returns the same boxes whatever the chunking', () => {
    const whole = new BoxSplitter().push(fmp4).map((b) => `${b.type}:${b.data.length}`);
    const s = new BoxSplitter();
    const chunked: string[] = [];
    for (let off = 0; off < fmp4.length; off += 777) chunked.push(...s.push(fmp4.subarray(off, off + 777)).map((b) => `${b.type}:${b.data.length}`));
    expect(chunked).toEqual(whole);
    expect(whole.slice(0, 3).map((x) => x.split(':')[0])).toEqual(['ftyp', 'moov', 'moof']);
  });

  it('rejects garbage instead of buffering it forever', () => {
    expect(() => new BoxSplitter().push(Buffer.from('\x00\x00\x00\x04abcdxxxx', 'latin1'))).toThrow(/corrupt fMP4/);
    expect(() => new BoxSplitter().push(Buffer.from('\x7f\x00\x00\x00moof', 'latin1'))).toThrow(/corrupt fMP4/);
  });
});

describe('fragment timing', () => {
  it('reads timescale, size, and 200 ms fragments with a keyframe every 5th', () => {
    const boxes = new BoxSplitter().push(fmp4);
    const track = readInitInfo(boxes.find((b) => b.type === 'moov')!.data);
    expect(track).toMatchObject({ width: 320, height: 180, trackId: 1 });
    const frags = boxes.filter((b) => b.type === 'moof').map((b) => readFragmentInfo(b.data, track));
    expect(frags).toHaveLength(10);
    expect(frags.map((f) => f.independent)).toEqual([true, false, false, false, false, true, false, false, false, false]);
    for (const f of frags) expect(f.duration / track.timescale).toBeCloseTo(0.2, 3);
    expect(frags[5].baseDecodeTime / track.timescale).toBeCloseTo(1, 3);
  });

  it('refuses a box that is not what it should be', () => {
    expect(() => readInitInfo(Buffer.from('\x00\x00\x00\x08free', 'latin1'))).toThrow(/expected moov/);
  });
});
