// Grammar-constrained decoding of the character slots: for each plate kind, take the most likely
// allowed character in each slot of its layout, score the kind by the mean log-likelihood per
// character plus the colour head's, and keep the best. The text is therefore always
// grammatical; when the unconstrained argmax disagrees, the chosen characters' own (low)
// probabilities become the confidence, so a grammar-breaking reading is never confident.
import { PLATE_COLORS, PLATE_KINDS, VOCAB, kindsForColor, slotsFor, type PlateColor, type PlateKind } from './grammar';
import { slotOffset } from './labels';

export interface Decoded {
  text: string;
  kind: PlateKind;
  color: PlateColor;
  charConfidences: number[];
  /** Probability of the whole reading (product over characters and the colour). */
  confidence: number;
}

export interface DecodeOptions {
  /**
   * The province most plates at this camera carry (本地省份): a prior on the province character,
   * as gate cameras are configured. Evidence for another province still wins when it is clear.
   */
  localProvince?: string;
  /** How many times likelier a local plate is than the network alone thinks (default LOCAL_PROVINCE_WEIGHT). */
  localWeight?: number;
}

/** Chosen on the LPRNet dev half (analytics/README.md, "Local province"). */
export const LOCAL_PROVINCE_WEIGHT = 32;

const INDEX = new Map(VOCAB.map((c, i) => [c, i]));
const SLOT_INDICES = new Map(PLATE_KINDS.map((k) => [k, slotsFor(k).map((set) => [...set].map((c) => INDEX.get(c)!))]));

/** `chars`: SLOTS × VOCAB.length probabilities (row-major); `colors`: one per PLATE_COLORS. */
export function decodePlate(chars: ArrayLike<number>, colors: ArrayLike<number>, opts: DecodeOptions = {}): Decoded {
  const v = VOCAB.length;
  const local = opts.localProvince === undefined ? -1 : INDEX.get(opts.localProvince) ?? -1;
  const weight = opts.localWeight ?? LOCAL_PROVINCE_WEIGHT;
  let best: Decoded | null = null;
  let bestScore = -Infinity;
  PLATE_COLORS.forEach((color, ci) => {
    const pColor = Math.max(colors[ci], 1e-9);
    for (const kind of kindsForColor(color)) {
      const slots = SLOT_INDICES.get(kind)!;
      const offset = slotOffset(slots.length);
      let logp = 0;
      let text = '';
      const confs: number[] = [];
      slots.forEach((allowed, p) => {
        const row = (offset + p) * v;
        // The province slot with a local prior: Bayes with weight w on the local province, renormalised
        // over the whole vocabulary, so a reading that leans on the prior carries its doubt.
        const prior = p === 0 && allowed.includes(local);
        const norm = prior ? 1 + chars[row + local] * (weight - 1) : 1;
        const pr = (i: number) => (prior && i === local ? chars[row + i] * weight : chars[row + i]) / norm;
        let bi = allowed[0];
        for (const i of allowed) if (pr(i) > pr(bi)) bi = i;
        const prob = Math.max(pr(bi), 1e-9);
        logp += Math.log(prob);
        text += VOCAB[bi];
        confs.push(prob);
      });
      // Per-character mean, so 7- and 8-character layouts compete fairly.
      const score = Math.log(pColor) + logp / slots.length;
      if (score > bestScore) {
        bestScore = score;
        best = { text, kind, color, charConfidences: confs, confidence: Math.exp(logp) * pColor };
      }
    }
  });
  return best!;
}
