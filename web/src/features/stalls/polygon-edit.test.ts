import { describe, expect, it } from 'vitest';
import type { Point } from './api';
import { addPoint, movePoint, removePoint, toNormalised } from './polygon-edit';

const rect = { left: 100, top: 50, width: 400, height: 200 };

describe('zone editor geometry', () => {
  it('maps a pointer to normalised picture coordinates, clamped to the picture', () => {
    expect(toNormalised(300, 150, rect)).toEqual([0.5, 0.5]);
    expect(toNormalised(50, 400, rect)).toEqual([0, 1]);
    expect(toNormalised(100 + 400 / 3, 50, rect)).toEqual([0.3333, 0]);
  });

  it('draws the first three points in click order, then bends the nearest edge', () => {
    let poly: Point[] = [];
    for (const p of [[0.1, 0.1], [0.9, 0.1], [0.9, 0.9]] as Point[]) poly = addPoint(poly, p).polygon;
    expect(poly).toEqual([[0.1, 0.1], [0.9, 0.1], [0.9, 0.9]]);
    // The fourth corner of a rectangle closes it instead of crossing the triangle.
    const added = addPoint(poly, [0.1, 0.9]);
    expect(added.polygon).toEqual([[0.1, 0.1], [0.9, 0.1], [0.9, 0.9], [0.1, 0.9]]);
    expect(added.index).toBe(3);
    // A click just above the top edge goes between its two corners.
    expect(addPoint(added.polygon, [0.5, 0.05])).toEqual({ polygon: [[0.1, 0.1], [0.5, 0.05], [0.9, 0.1], [0.9, 0.9], [0.1, 0.9]], index: 1 });
  });

  it('moves and removes single points without touching the others', () => {
    const poly: Point[] = [[0, 0], [1, 0], [1, 1]];
    expect(movePoint(poly, 1, [0.5, 0.2])).toEqual([[0, 0], [0.5, 0.2], [1, 1]]);
    expect(removePoint(poly, 0)).toEqual([[1, 0], [1, 1]]);
    expect(poly).toEqual([[0, 0], [1, 0], [1, 1]]);
  });
});
