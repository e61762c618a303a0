import { describe, expect, it } from 'vitest';
import { ZoneError } from './errors';
import { polygonArea, rasterizePolygon, validatePolygon, validateZone, WHOLE_FRAME } from './polygon';
import type { Point } from './types';

function code(fn: () => void): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof ZoneError) return e.code;
    throw e;
  }
  return undefined;
}

describe('validatePolygon', () => {
  it('accepts a simple quad, a concave polygon and the whole frame', () => {
    expect(code(() => validatePolygon([[0.1, 0.1], [0.5, 0.1], [0.5, 0.6], [0.1, 0.6]]))).toBeUndefined();
    expect(code(() => validatePolygon([[0.1, 0.1], [0.9, 0.1], [0.9, 0.9], [0.5, 0.4], [0.1, 0.9]]))).toBeUndefined();
    expect(code(() => validatePolygon(WHOLE_FRAME))).toBeUndefined();
  });

  it('refuses too few points, junk coordinates and points outside the frame', () => {
    expect(code(() => validatePolygon([[0, 0], [1, 1]]))).toBe('too-few-points');
    expect(code(() => validatePolygon('nope'))).toBe('too-few-points');
    expect(code(() => validatePolygon([[0, 0], [1, 0], [0.5, Number.NaN]]))).toBe('bad-coordinate');
    expect(code(() => validatePolygon([[0, 0], [1, 0], ['0.5', 1]]))).toBe('bad-coordinate');
    expect(code(() => validatePolygon([[0, 0], [1, 0], [0.5, 1.2]]))).toBe('outside-frame');
    expect(code(() => validatePolygon([[-0.1, 0], [1, 0], [0.5, 1]]))).toBe('outside-frame');
    expect(code(() => validatePolygon(Array.from({ length: 65 }, (_, i) => [0.5 + 0.4 * Math.cos(i / 10), 0.5 + 0.4 * Math.sin(i / 10)])))).toBe('too-few-points');
  });

  it('refuses degenerate polygons: collinear, repeated points, tiny area', () => {
    expect(code(() => validatePolygon([[0.1, 0.1], [0.5, 0.5], [0.9, 0.9]]))).toBe('degenerate');
    expect(code(() => validatePolygon([[0.1, 0.1], [0.1, 0.1], [0.9, 0.9], [0.1, 0.9]]))).toBe('degenerate');
    expect(code(() => validatePolygon([[0.1, 0.1], [0.11, 0.1], [0.11, 0.11]]))).toBe('degenerate');
  });

  it('refuses self-intersecting polygons (bow tie, touching edge, fold-back)', () => {
    expect(code(() => validatePolygon([[0.1, 0.1], [0.9, 0.9], [0.9, 0.1], [0.1, 0.9]]))).toBe('self-intersecting');
    // Vertex 4 touches edge 0–1.
    expect(code(() => validatePolygon([[0.1, 0.1], [0.9, 0.1], [0.9, 0.9], [0.5, 0.9], [0.5, 0.1], [0.1, 0.5]]))).toBe('self-intersecting');
    // Edge 2 runs back along edge 1.
    expect(code(() => validatePolygon([[0.1, 0.1], [0.9, 0.1], [0.9, 0.9], [0.9, 0.5], [0.1, 0.9]]))).toBe('self-intersecting');
  });
});

describe('validateZone', () => {
  const poly: Point[] = [[0.1, 0.1], [0.5, 0.1], [0.5, 0.6]];
  it('refuses dwell ≤ 0, non-finite or absurd dwell, and empty ids', () => {
    for (const dwellSec of [0, -5, Number.NaN, Number.POSITIVE_INFINITY, 1e9]) expect(code(() => validateZone({ id: 'z', polygon: poly, dwellSec }))).toBe('bad-dwell');
    expect(code(() => validateZone({ id: '', polygon: poly, dwellSec: 10 }))).toBe('bad-id');
    expect(code(() => validateZone({ id: 'z', polygon: poly, dwellSec: 0.5 }))).toBeUndefined();
    expect(code(() => validateZone({ id: 'z', polygon: poly, dwellSec: 5, graceSec: 0 }))).toBeUndefined();
    expect(code(() => validateZone({ id: 'z', polygon: poly, dwellSec: 5, graceSec: -1 }))).toBe('bad-dwell');
  });
});

describe('rasterizePolygon', () => {
  it('fills the whole frame and a triangle with the expected area', () => {
    expect(rasterizePolygon(WHOLE_FRAME, 32, 18).every((v) => v === 1)).toBe(true);
    const tri: Point[] = [[0, 0], [1, 0], [0, 1]];
    const mask = rasterizePolygon(tri, 200, 100);
    const share = mask.reduce((a, v) => a + v, 0) / mask.length;
    expect(share).toBeCloseTo(polygonArea(tri), 2);
    expect(mask[0]).toBe(1);
    expect(mask[mask.length - 1]).toBe(0);
  });
});
