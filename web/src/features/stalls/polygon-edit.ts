import type { Point } from './api';

// Pure editing steps of the zone editor, in normalised 0–1 picture coordinates. The server
// decides whether a polygon is valid (simple, inside the frame, not degenerate); these only
// place points where the operator's pointer is.

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));
const round = (v: number) => Math.round(v * 10_000) / 10_000;

/** A pointer position over an element showing the whole picture → a normalised point. */
export function toNormalised(clientX: number, clientY: number, rect: { left: number; top: number; width: number; height: number }): Point {
  return [round(clamp01((clientX - rect.left) / rect.width)), round(clamp01((clientY - rect.top) / rect.height))];
}

function distanceToSegment(p: Point, a: Point, b: Point): number {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : clamp01(((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2);
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

/**
 * Adds a point: the first three are drawn in click order; after that a click goes into the
 * nearest edge, so clicking beside an edge bends that edge instead of crossing the polygon.
 * Returns the new polygon and the index of the added point.
 */
export function addPoint(polygon: readonly Point[], p: Point): { polygon: Point[]; index: number } {
  if (polygon.length < 3) return { polygon: [...polygon, p], index: polygon.length };
  let best = 0;
  let bestDistance = Infinity;
  for (let i = 0; i < polygon.length; i++) {
    const d = distanceToSegment(p, polygon[i], polygon[(i + 1) % polygon.length]);
    if (d < bestDistance) [best, bestDistance] = [i, d];
  }
  const next = [...polygon];
  next.splice(best + 1, 0, p);
  return { polygon: next, index: best + 1 };
}

export function movePoint(polygon: readonly Point[], index: number, p: Point): Point[] {
  return polygon.map((q, i) => (i === index ? p : q));
}

export function removePoint(polygon: readonly Point[], index: number): Point[] {
  return polygon.filter((_, i) => i !== index);
}
