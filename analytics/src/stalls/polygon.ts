// Zone polygons: validation (bad input must be refused before it is stored) and rasterisation
// to a per-pixel mask at the analysis resolution.
import { ZoneError } from './errors';
import type { Point, ZoneSpec } from './types';

const MAX_POINTS = 64;
/** Smallest accepted zone: 0.05 % of the frame (≈ 30 pixels at 320×180). */
const MIN_AREA = 0.0005;
/** Longest accepted dwell: one day; beyond that an "event" is not a stall alarm. */
const MAX_DWELL_SEC = 86_400;

export function polygonArea(poly: Point[]): number {
  let twice = 0;
  for (let i = 0; i < poly.length; i++) {
    const [x1, y1] = poly[i];
    const [x2, y2] = poly[(i + 1) % poly.length];
    twice += x1 * y2 - x2 * y1;
  }
  return Math.abs(twice) / 2;
}

function orient(a: Point, b: Point, c: Point): number {
  const v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  return Math.abs(v) < 1e-12 ? 0 : Math.sign(v);
}

function onSegment(a: Point, b: Point, p: Point): boolean {
  return Math.min(a[0], b[0]) <= p[0] && p[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= p[1] && p[1] <= Math.max(a[1], b[1]);
}

/** True when segments ab and cd share any point (touching counts). */
export function segmentsIntersect(a: Point, b: Point, c: Point, d: Point): boolean {
  const o1 = orient(a, b, c);
  const o2 = orient(a, b, d);
  const o3 = orient(c, d, a);
  const o4 = orient(c, d, b);
  if (o1 !== o2 && o3 !== o4) return true;
  return (o1 === 0 && onSegment(a, b, c)) || (o2 === 0 && onSegment(a, b, d)) || (o3 === 0 && onSegment(c, d, a)) || (o4 === 0 && onSegment(c, d, b));
}

/** Throws ZoneError unless the polygon is a simple (non-self-intersecting) polygon inside the frame. */
export function validatePolygon(poly: unknown): asserts poly is Point[] {
  if (!Array.isArray(poly) || poly.length < 3) throw new ZoneError('too-few-points', 'a zone needs at least 3 points');
  if (poly.length > MAX_POINTS) throw new ZoneError('too-few-points', `a zone has at most ${MAX_POINTS} points`);
  for (const p of poly) {
    if (!Array.isArray(p) || p.length !== 2 || !p.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw new ZoneError('bad-coordinate', 'each point must be [x, y] with finite numbers');
    }
    if (p[0] < 0 || p[0] > 1 || p[1] < 0 || p[1] > 1) throw new ZoneError('outside-frame', `point ${JSON.stringify(p)} is outside the frame (0–1)`);
  }
  const pts = poly as Point[];
  for (let i = 0; i < pts.length; i++) {
    const q = pts[(i + 1) % pts.length];
    if (pts[i][0] === q[0] && pts[i][1] === q[1]) throw new ZoneError('degenerate', 'two consecutive points are equal');
  }
  if (pts.every((p) => orient(pts[0], pts[1], p) === 0)) throw new ZoneError('degenerate', 'all points lie on one line');
  const n = pts.length;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      // Adjacent edges share a vertex by construction; only a fold-back (collinear overlap) is bad there.
      const adjacent = j === i + 1 || (i === 0 && j === n - 1);
      const [a, b] = [pts[i], pts[(i + 1) % n]];
      const [c, d] = [pts[j], pts[(j + 1) % n]];
      if (adjacent) {
        const shared = j === i + 1 ? b : a;
        const other1 = j === i + 1 ? a : b;
        const other2 = j === i + 1 ? d : c;
        if (orient(other1, shared, other2) === 0 && (onSegment(shared, other1, other2) || onSegment(shared, other2, other1))) {
          throw new ZoneError('self-intersecting', `edges ${i} and ${j} fold back on each other`);
        }
        continue;
      }
      if (segmentsIntersect(a, b, c, d)) throw new ZoneError('self-intersecting', `edges ${i} and ${j} cross`);
    }
  }
  // After the crossing test: a bow tie's signed areas cancel, but it is a crossing, not a sliver.
  if (polygonArea(pts) < MIN_AREA) throw new ZoneError('degenerate', 'the zone has (almost) no area');
}

export function validateDwell(dwellSec: unknown): asserts dwellSec is number {
  if (typeof dwellSec !== 'number' || !Number.isFinite(dwellSec) || dwellSec <= 0 || dwellSec > MAX_DWELL_SEC) {
    throw new ZoneError('bad-dwell', `dwell must be a number of seconds in (0, ${MAX_DWELL_SEC}]`);
  }
}

export function validateZone(zone: ZoneSpec): void {
  if (typeof zone.id !== 'string' || zone.id.length === 0 || zone.id.length > 128) throw new ZoneError('bad-id', 'zone id must be a non-empty string');
  validatePolygon(zone.polygon);
  validateDwell(zone.dwellSec);
  const g = zone.graceSec;
  if (g !== undefined && !(typeof g === 'number' && Number.isFinite(g) && g >= 0 && g <= MAX_DWELL_SEC)) {
    throw new ZoneError('bad-dwell', `grace must be a number of seconds in [0, ${MAX_DWELL_SEC}]`);
  }
}

/** Even-odd scanline fill at pixel centres; 1 inside, 0 outside. */
export function rasterizePolygon(poly: Point[], width: number, height: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  const xs: number[] = [];
  for (let y = 0; y < height; y++) {
    const py = (y + 0.5) / height;
    xs.length = 0;
    for (let i = 0; i < poly.length; i++) {
      const [x1, y1] = poly[i];
      const [x2, y2] = poly[(i + 1) % poly.length];
      if ((y1 <= py && y2 > py) || (y2 <= py && y1 > py)) xs.push(x1 + ((py - y1) / (y2 - y1)) * (x2 - x1));
    }
    xs.sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const from = Math.max(0, Math.ceil(xs[k] * width - 0.5));
      const to = Math.min(width - 1, Math.floor(xs[k + 1] * width - 0.5));
      mask.fill(1, y * width + from, y * width + to + 1);
    }
  }
  return mask;
}

export const WHOLE_FRAME: Point[] = [
  [0, 0],
  [1, 0],
  [1, 1],
  [0, 1],
];
