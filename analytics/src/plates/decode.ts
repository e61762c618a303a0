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

const INDEX = new Map(VOCAB.map((c, i) => [c, i]));
const SLOT_INDICES = new Map(PLATE_KINDS.map((k) => [k, slotsFor(k).map((set) => [...set].map((c) => INDEX.get(c)!))]));

/** `chars`: SLOTS × VOCAB.length probabilities (row-major); `colors`: one per PLATE_COLORS. */
export function decodePlate(chars: ArrayLike<number>, colors: ArrayLike<number>): Decoded {
  const v = VOCAB.length;
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
        let bi = allowed[0];
        for (const i of allowed) if (chars[row + i] > chars[row + bi]) bi = i;
        const prob = Math.max(chars[row + bi], 1e-9);
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
