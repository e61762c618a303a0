// When a phone's new GPS fix is worth sending: the first one, one that moved ≥ 20 m (but not more
// often than every 3 s), or any after 15 s of silence, so the team's position stays fresh for
// "nearest team" without a request per GPS callback.
export interface Fix {
  latitude: number;
  longitude: number;
  accuracy: number;
  /** ms since the epoch */
  at: number;
}

export const MIN_MOVE_M = 20;
export const MIN_GAP_MS = 3000;
export const MAX_SILENCE_MS = 15_000;

/** Metres between two fixes (equirectangular: exact enough over a district). */
export function distanceM(a: Fix, b: Fix): number {
  const rad = Math.PI / 180;
  const x = (b.longitude - a.longitude) * rad * Math.cos(((a.latitude + b.latitude) / 2) * rad);
  const y = (b.latitude - a.latitude) * rad;
  return Math.hypot(x, y) * 6_371_008.8;
}

export function shouldSend(lastSent: Fix | null, next: Fix): boolean {
  if (!lastSent) return true;
  const dt = next.at - lastSent.at;
  if (dt >= MAX_SILENCE_MS) return true;
  return dt >= MIN_GAP_MS && distanceM(lastSent, next) >= MIN_MOVE_M;
}
