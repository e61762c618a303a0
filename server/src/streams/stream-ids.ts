// A camera's streams are named `<cameraId>.main` and `<cameraId>.sub` everywhere: media URLs,
// WebRTC rooms, stream tokens and the view log.
export type Profile = 'main' | 'sub';

export const streamIdOf = (cameraId: string, profile: Profile) => `${cameraId}.${profile}`;

const STREAM = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(main|sub)$/;

export function parseStreamId(streamId: string): { cameraId: string; profile: Profile } | null {
  const m = STREAM.exec(streamId);
  return m ? { cameraId: m[1], profile: m[2] as Profile } : null;
}

/** The RTSP URL ffmpeg opens, with the camera's credentials (never logged: media redacts them). */
export function sourceUrl(url: string, username: string | null, password: string | null): string {
  if (!username) return url;
  const u = new URL(url);
  u.username = encodeURIComponent(username);
  u.password = encodeURIComponent(password ?? '');
  return u.toString();
}
