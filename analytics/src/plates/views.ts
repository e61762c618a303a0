// Test-time views: the recognizer reads each plate in a few framings (as cut, a little closer,
// further, taller) and averages its per-character probabilities. A crop cut a few
// per cent off by the detector, or a real plate's proportions, then costs one view, not the
// reading (what it gains on real and synthetic crops: analytics/README.md). The mean picks the
// text; how sure that text is comes from what the views agree on (their normalised geometric mean,
// a product of experts), when that names the same plate.
import type { Framing } from './detect';

/**
 * Change of each margin per view (negative: that edge of the plate moves out, past the crop).
 * Chosen on the LPRNet dev half among these and two 3 % shifts: these four read it best (54.7 %
 * exact, 94.5 % with the local province; all six 53.9 / 93.8 %, one view 52.9 / 90.4 %).
 */
const VIEW_DELTAS: readonly Framing[] = [
  { left: 0, right: 0, top: 0, bottom: 0 },
  { left: -0.04, right: -0.04, top: 0, bottom: 0 },
  { left: 0.04, right: 0.04, top: 0.06, bottom: 0.06 },
  { left: 0, right: 0, top: -0.08, bottom: -0.08 },
];

export const VIEW_COUNT = VIEW_DELTAS.length;

/** The framings to read a plate in, around `base` (how its crops are normally framed). */
export function viewsAround(base: Framing): Framing[] {
  return VIEW_DELTAS.map((d) => ({ left: base.left + d.left, right: base.right + d.right, top: base.top + d.top, bottom: base.bottom + d.bottom }));
}

/** Means of consecutive groups of `views` rows of `width` numbers: one row per plate. */
export function meanOfViews(rows: Float32Array, width: number, views: number): Float32Array {
  const plates = rows.length / width / views;
  const out = new Float32Array(plates * width);
  for (let p = 0; p < plates; p++) {
    for (let v = 0; v < views; v++) {
      const from = (p * views + v) * width;
      for (let j = 0; j < width; j++) out[p * width + j] += rows[from + j] / views;
    }
  }
  return out;
}

/**
 * Per plate, the normalised geometric mean of its views' distributions (consecutive runs of
 * `classes` numbers in each row of `width`): high only where every view is sure of the same class.
 */
export function agreementOfViews(rows: Float32Array, width: number, views: number, classes: number): Float32Array {
  const plates = rows.length / width / views;
  const out = new Float32Array(plates * width);
  for (let p = 0; p < plates; p++) {
    for (let j = 0; j < width; j++) {
      let log = 0;
      for (let v = 0; v < views; v++) log += Math.log(Math.max(rows[(p * views + v) * width + j], 1e-9));
      out[p * width + j] = Math.exp(log / views);
    }
    for (let start = p * width; start < (p + 1) * width; start += classes) {
      let sum = 0;
      for (let j = start; j < start + classes; j++) sum += out[j];
      for (let j = start; j < start + classes; j++) out[j] /= sum;
    }
  }
  return out;
}
