// What the camera sends, read from ffmpeg's input description on stderr, and whether browsers
// (MSE for LL-HLS, Chromium's WebRTC for the SFU) can take it without a transcode.

export interface CodecInfo {
  codec: string;
  profile: string | null;
  width: number | null;
  height: number | null;
  fps: number | null;
}

// "  Stream #0:0[0x1](und): Video: h264 (Constrained Baseline) (avc1 / 0x31637661), yuv420p(progressive), 640x360 [SAR 1:1 DAR 16:9], 910 kb/s, 25 fps, ..."
const VIDEO_LINE = /^\s*Stream #\d+:\d+\S*: Video: (\w+)(?: \(([^)]+)\))?(.*)$/;

/** Parses the first video stream line of an `Input #…` block; null for any other line. */
export function parseVideoStreamLine(line: string): CodecInfo | null {
  const m = VIDEO_LINE.exec(line);
  if (!m) return null;
  const [, codec, maybeProfile, rest] = m;
  // "(avc1 / 0x…)" is a codec tag, not a profile
  const profile = maybeProfile && !maybeProfile.includes(' / ') ? maybeProfile : null;
  const size = /\b(\d{2,5})x(\d{2,5})\b/.exec(rest);
  const fps = /([\d.]+) fps/.exec(rest) ?? /([\d.]+k?) tbr/.exec(rest);
  let fpsValue: number | null = null;
  if (fps && !fps[1].endsWith('k')) fpsValue = Number(fps[1]);
  return {
    codec,
    profile,
    width: size ? Number(size[1]) : null,
    height: size ? Number(size[2]) : null,
    fps: fpsValue !== null && Number.isFinite(fpsValue) && fpsValue > 0 ? fpsValue : null,
  };
}

// Chromium's WebRTC offers H.264 Constrained Baseline, Baseline and Main only (no High).
const PLAYABLE_H264_PROFILES = new Set(['Baseline', 'Constrained Baseline', 'Main']);

/** null when every viewer can play it as is, else the reason shown on the tile. */
export function unsupportedReason(info: CodecInfo): string | null {
  if (info.codec === 'h264') {
    if (info.profile === null || PLAYABLE_H264_PROFILES.has(info.profile)) return null;
    return `H.264 ${info.profile} profile: browsers' WebRTC plays Baseline/Main only; enable transcode for this camera or set it to Main/Baseline`;
  }
  if (info.codec === 'hevc') return 'HEVC (H.265): browsers cannot play it; enable transcode for this camera or set it to H.264 Main/Baseline';
  return `${info.codec}: not H.264; enable transcode for this camera`;
}
