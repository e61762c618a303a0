import { describe, expect, it } from 'vitest';
import type { Fragment, InitSegment } from '../ingest/ingest';
import { LlHlsPackager, segmentData } from './ll-hls-packager';
import { renderLowLatencyPlaylist, renderPlainPlaylist } from './playlist';

const track = { timescale: 90000, trackId: 1, width: 640, height: 360, defaultSampleDuration: 0, defaultSampleFlags: 0 };
const init = (generation: number): InitSegment => ({ data: Buffer.from(`init${generation}`), track, generation });
let t = Date.UTC(2026, 0, 1);
const frag = (independent: boolean, duration = 0.2): Fragment => {
  t += duration * 1000;
  return { data: Buffer.from(independent ? 'K' : 'p'), duration, receivedAt: t, info: { baseDecodeTime: 0, duration: duration * 90000, sampleCount: 5, independent } };
};
/** One GOP of `parts` fragments, the first a keyframe. */
const gop = (p: LlHlsPackager, parts = 5) => {
  for (let i = 0; i < parts; i++) p.addFragment(frag(i === 0));
};

describe('LlHlsPackager', () => {
  it('starts segments at keyframes once they reach the target and drops a leading partial GOP', () => {
    const p = new LlHlsPackager();
    p.setInit(init(1));
    p.addFragment(frag(false));
    expect(p.segments).toHaveLength(0);
    gop(p);
    gop(p);
    p.addFragment(frag(true));
    expect(p.segments.map((s) => [s.msn, s.parts.length, s.complete])).toEqual([[0, 5, true], [1, 5, true], [2, 1, false]]);
    expect(p.segments[0].duration).toBeCloseTo(1);
    expect(segmentData(p.segments[0])?.toString()).toBe('Kpppp');
    expect(segmentData(p.segments[2])).toBeNull();
    expect(p.nextPartAddress()).toEqual({ msn: 2, index: 1 });
  });

  it('keeps a GOP shorter than the target inside one segment and raises the target for long GOPs', () => {
    const p = new LlHlsPackager();
    p.setInit(init(1));
    gop(p, 2);
    gop(p, 2);
    gop(p, 2);
    expect(p.segments.map((s) => s.parts.length)).toEqual([6]);
    gop(p, 12); // 2.4 s GOP
    p.addFragment(frag(true));
    expect(p.targetDuration).toBe(2);
  });

  it('slides the window and counts discontinuities that leave it', () => {
    const p = new LlHlsPackager({ windowSegments: 2 });
    p.setInit(init(1));
    gop(p);
    p.setInit(init(2)); // ffmpeg restarted
    gop(p);
    gop(p);
    gop(p);
    p.addFragment(frag(true));
    expect(p.segments.map((s) => s.msn)).toEqual([2, 3, 4]);
    expect(p.segments[0].discontinuity).toBe(false);
    expect(p.discontinuitySequence).toBe(1);
    expect([...p.inits.keys()]).toEqual([2]);
  });

  it('raises the advertised part target to the longest part ffmpeg produced', () => {
    const p = new LlHlsPackager({ partTargetS: 0.1 });
    p.setInit(init(1));
    p.addFragment(frag(true, 0.12));
    p.addFragment(frag(false, 0.04));
    expect(p.partTarget).toBe(0.12);
    expect(renderLowLatencyPlaylist(p)).toContain('PART-HOLD-BACK=0.36\n#EXT-X-PART-INF:PART-TARGET=0.12\n');
  });

  it('answers blocking-reload questions', () => {
    const p = new LlHlsPackager();
    p.setInit(init(1));
    gop(p);
    p.addFragment(frag(true));
    p.addFragment(frag(false));
    expect(p.hasReached(0)).toBe(true);
    expect(p.hasReached(1)).toBe(false);
    expect(p.hasReached(1, 1)).toBe(true);
    expect(p.hasReached(1, 2)).toBe(false);
    expect(p.hasReached(0, 99)).toBe(true); // a later segment exists
    expect(p.isTooFarAhead(3)).toBe(false);
    expect(p.isTooFarAhead(4)).toBe(true);
  });

  it('wakes a held request when the part arrives, times out otherwise, and ends on close', async () => {
    const p = new LlHlsPackager();
    p.setInit(init(1));
    gop(p);
    const held = p.waitFor(() => p.hasReached(0, 5), 2000);
    p.addFragment(frag(true));
    await expect(held).resolves.toBe('ready');
    await expect(p.waitFor(() => false, 30)).resolves.toBe('timeout');
    const closing = p.waitFor(() => false, 2000);
    p.close();
    await expect(closing).resolves.toBe('closed');
  });
});

describe('playlists', () => {
  it('renders LL-HLS with parts, server control, preload hint and maps after discontinuities', () => {
    const p = new LlHlsPackager();
    p.setInit(init(1));
    gop(p);
    p.setInit(init(2));
    gop(p);
    p.addFragment(frag(true));
    const text = renderLowLatencyPlaylist(p);
    const lines = text.trim().split('\n');
    expect(lines.slice(0, 3)).toEqual(['#EXTM3U', '#EXT-X-VERSION:9', '#EXT-X-TARGETDURATION:1']);
    expect(text).toContain('#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=0.6\n#EXT-X-PART-INF:PART-TARGET=0.2\n');
    expect(text).toContain('#EXT-X-MAP:URI="init-1.mp4"');
    expect(text).toContain('#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI="init-2.mp4"\n#EXT-X-PROGRAM-DATE-TIME:');
    expect(text).toContain('#EXT-X-PART:DURATION=0.2,URI="part-0.0.m4s",INDEPENDENT=YES\n#EXT-X-PART:DURATION=0.2,URI="part-0.1.m4s"\n');
    expect(text).toContain('#EXTINF:1.0,\nseg-1.m4s\n#EXT-X-PROGRAM-DATE-TIME:');
    expect(lines.at(-2)).toBe('#EXT-X-PART:DURATION=0.2,URI="part-2.0.m4s",INDEPENDENT=YES');
    expect(lines.at(-1)).toBe('#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part-2.1.m4s"');
  });

  it('renders a plain playlist with whole segments only', () => {
    const p = new LlHlsPackager();
    p.setInit(init(1));
    gop(p);
    gop(p);
    const text = renderPlainPlaylist(p);
    expect(text).toContain('#EXT-X-VERSION:7');
    expect(text).not.toMatch(/EXT-X-PART|PRELOAD|SERVER-CONTROL/);
    expect(text.match(/#EXTINF/g)).toHaveLength(1);
  });
});
