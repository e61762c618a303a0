import { describe, expect, it } from 'vitest';
import { LOOSE } from './detect';
import { meanOfViews, VIEW_COUNT, viewsAround } from './views';

describe('views', () => {
  it('starts with the base framing itself, then moves margins around it', () => {
    const views = viewsAround(LOOSE);
    expect(views).toHaveLength(VIEW_COUNT);
    expect(views[0]).toEqual(LOOSE);
    expect(new Set(views.map((v) => JSON.stringify(v))).size).toBe(VIEW_COUNT);
  });

  it('averages each plate over its own views only', () => {
    // Two plates, two views each, rows of three numbers.
    const rows = Float32Array.from([1, 0, 0, 0, 1, 0, /* plate 2 */ 0, 0, 1, 0, 0, 1]);
    expect([...meanOfViews(rows, 3, 2)]).toEqual([0.5, 0.5, 0, 0, 0, 1]);
    expect([...meanOfViews(rows, 3, 1)]).toEqual([...rows]);
  });
});
