import type { ProbedProfile } from './api';

const pixels = (p: ProbedProfile) => (p.width ?? 0) * (p.height ?? 0);

/** Main = the largest picture, sub = the smallest other one (none when the camera has one profile). */
export function defaultProfiles(profiles: ProbedProfile[]): { main: string | null; sub: string | null } {
  if (profiles.length === 0) return { main: null, sub: null };
  const sorted = [...profiles].sort((a, b) => pixels(b) - pixels(a));
  return { main: sorted[0].token, sub: sorted.length > 1 ? sorted[sorted.length - 1].token : null };
}
