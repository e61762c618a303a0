import { describe, expect, it } from 'vitest';
import { parseVideoStreamLine, unsupportedReason } from './codec-info';

describe('parseVideoStreamLine', () => {
  it('reads codec, profile, size and fps from an mp4 input line', () => {
    const info = parseVideoStreamLine(
      '  Stream #0:0[0x1](und): Video: h264 (Constrained Baseline) (avc1 / 0x31637661), yuv420p(progressive), 640x360 [SAR 1:1 DAR 16:9], 910 kb/s, 25 fps, 25 tbr, 12800 tbn (default)',
    );
    expect(info).toEqual({ codec: 'h264', profile: 'Constrained Baseline', width: 640, height: 360, fps: 25 });
  });

  it('reads an RTSP input line with a fractional rate and no fps', () => {
    expect(parseVideoStreamLine('  Stream #0:0: Video: hevc (Main), yuvj420p(pc), 1920x1080, 29.97 tbr, 90k tbn')).toEqual({
      codec: 'hevc', profile: 'Main', width: 1920, height: 1080, fps: 29.97,
    });
  });

  it('treats a codec tag as no profile', () => {
    expect(parseVideoStreamLine('    Stream #0:0: Video: h264 (avc1 / 0x31637661), yuv420p, 1280x720, 90k tbr')?.profile).toBeNull();
  });

  it('ignores audio and other lines', () => {
    expect(parseVideoStreamLine('  Stream #0:1: Audio: aac (LC), 48000 Hz, mono, fltp')).toBeNull();
    expect(parseVideoStreamLine('Input #0, rtsp, from rtsp://x')).toBeNull();
    expect(parseVideoStreamLine('')).toBeNull();
  });
});

describe('unsupportedReason', () => {
  const base = { width: 640, height: 360, fps: 25 };
  it('accepts Baseline, Constrained Baseline, Main and unknown H.264 profiles', () => {
    for (const profile of ['Baseline', 'Constrained Baseline', 'Main', null]) expect(unsupportedReason({ ...base, codec: 'h264', profile })).toBeNull();
  });
  it('explains High profile, HEVC and other codecs', () => {
    expect(unsupportedReason({ ...base, codec: 'h264', profile: 'High' })).toMatch(/High profile.*transcode/);
    expect(unsupportedReason({ ...base, codec: 'hevc', profile: 'Main' })).toMatch(/HEVC/);
    expect(unsupportedReason({ ...base, codec: 'mjpeg', profile: null })).toMatch(/mjpeg: not H.264/);
  });
});
