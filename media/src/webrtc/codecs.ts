// H.264 as Chromium's WebRTC can decode it: Constrained Baseline, Baseline and Main only (no
// High), packetization-mode 1. Cameras are relayed with codec copy, so a stream in any other
// profile is refused with a clear reason instead of showing a black tile.
import type { types as ms } from 'mediasoup';

export type H264Profile = 'constrained-baseline' | 'baseline' | 'main';

/** One router codec per playable profile: mediasoup matches H.264 producers by profile, not level. */
const ROUTER_PROFILE_LEVEL_IDS: Record<H264Profile, string> = {
  'constrained-baseline': '42e01f',
  baseline: '42001f',
  main: '4d001f',
};

export class UnsupportedCodecError extends Error {
  override readonly name = 'UnsupportedCodecError';
}

/**
 * Classifies an RFC 6184 profile-level-id (6 hex digits: profile_idc, constraint flags, level_idc).
 * Throws UnsupportedCodecError for anything Chromium's WebRTC stack would not decode.
 */
export function h264ProfileOf(profileLevelId: string): H264Profile {
  if (!/^[0-9a-f]{6}$/i.test(profileLevelId)) {
    throw new UnsupportedCodecError(`invalid H.264 profile-level-id "${profileLevelId}" (want 6 hex digits)`);
  }
  const profileIdc = parseInt(profileLevelId.slice(0, 2), 16);
  const constraints = parseInt(profileLevelId.slice(2, 4), 16);
  // constraint_set1 on a Baseline stream means it avoids the Baseline-only tools: Constrained Baseline.
  if (profileIdc === 0x42) return constraints & 0x40 ? 'constrained-baseline' : 'baseline';
  if (profileIdc === 0x4d) return 'main';
  throw new UnsupportedCodecError(
    `H.264 profile_idc ${profileIdc} (profile-level-id ${profileLevelId}) cannot be played over WebRTC: ` +
      'browsers decode only Constrained Baseline, Baseline and Main; transcode the stream or pick another camera profile',
  );
}

const FFPROBE_PROFILES: Record<string, string> = {
  'constrained baseline': '42e0',
  baseline: '4200',
  main: '4d00',
};

/**
 * profile-level-id from what ffprobe reports for a stream (`profile`, `level`), for an ingest that
 * knows the camera's stream only through ffprobe. Throws UnsupportedCodecError for other profiles.
 */
export function profileLevelIdFromProbe(profile: string, level: number): string {
  const prefix = FFPROBE_PROFILES[profile.trim().toLowerCase()];
  if (!prefix) {
    throw new UnsupportedCodecError(`H.264 profile "${profile}" cannot be played over WebRTC (need Constrained Baseline, Baseline or Main)`);
  }
  if (!Number.isInteger(level) || level <= 0 || level > 0xff) throw new UnsupportedCodecError(`invalid H.264 level ${level}`);
  return prefix + level.toString(16).padStart(2, '0');
}

export function routerMediaCodecs(): ms.RouterRtpCodecCapability[] {
  return (Object.values(ROUTER_PROFILE_LEVEL_IDS) as string[]).map((profileLevelId) => ({
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: {
      'packetization-mode': 1,
      'profile-level-id': profileLevelId,
      // Levels may differ between sender and receiver: the camera's level is what it is.
      'level-asymmetry-allowed': 1,
    },
    rtcpFeedback: [
      { type: 'nack' },
      { type: 'nack', parameter: 'pli' },
      { type: 'ccm', parameter: 'fir' },
      { type: 'goog-remb' },
      { type: 'transport-cc' },
    ],
  }));
}
