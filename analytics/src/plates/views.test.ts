import { describe, expect, it } from 'vitest';
import { LOOSE } from './detect';
import { agreementOfViews, meanOfViews, VIEW_COUNT, viewsAround } from './views';

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

  it('is sure only of what every view is sure of, each distribution renormalised', () => {
    // One plate, two views, one slot of two classes: both views favour class 0, one barely.
    const agreed = agreementOfViews(Float32Array.from([0.9, 0.1, 0.55, 0.45]), 2, 2, 2);
    const g0 = Math.sqrt(0.9 * 0.55);
    const g1 = Math.sqrt(0.1 * 0.45);
    expect(agreed[0]).toBeCloseTo(g0 / (g0 + g1), 6);
    expect(agreed[0] + agreed[1]).toBeCloseTo(1, 6);
    // Views that are sure of different classes agree on neither.
    const split = agreementOfViews(Float32Array.from([0.99, 0.01, 0.01, 0.99]), 2, 2, 2);
    expect(split[0]).toBeCloseTo(0.5, 6);
  });
});
