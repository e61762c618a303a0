// Grammar-constrained decoding of the position heads: for each plate kind, take the most likely
// allowed character per slot (and "no character" after a 7-character plate), score the kind by its
// log-likelihood plus the colour head's, and keep the best. The text is therefore always
// grammatical; when the unconstrained argmax disagrees, the chosen characters' own (low)
// probabilities become the confidence, so a grammar-breaking reading is never confident.
import { MAX_LEN, PLATE_COLORS, PLATE_KINDS, VOCAB, kindsForColor, slotsFor, type PlateColor, type PlateKind } from './grammar';

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

/** `chars`: MAX_LEN × VOCAB.length probabilities (row-major); `colors`: one per PLATE_COLORS. */
export function decodePlate(chars: ArrayLike<number>, colors: ArrayLike<number>): Decoded {
  const v = VOCAB.length;
  let best: Decoded | null = null;
  let bestScore = -Infinity;
  PLATE_COLORS.forEach((color, ci) => {
    const pColor = Math.max(colors[ci], 1e-9);
    for (const kind of kindsForColor(color)) {
      const slots = SLOT_INDICES.get(kind)!;
      let score = Math.log(pColor);
      let text = '';
      const confs: number[] = [];
      for (let p = 0; p < MAX_LEN; p++) {
        const allowed = p < slots.length ? slots[p] : [0];
        let bi = allowed[0];
        for (const i of allowed) if (chars[p * v + i] > chars[p * v + bi]) bi = i;
        const prob = Math.max(chars[p * v + bi], 1e-9);
        score += Math.log(prob);
        if (p < slots.length) {
          text += VOCAB[bi];
          confs.push(prob);
        }
      }
      if (score > bestScore) {
        bestScore = score;
        best = { text, kind, color, charConfidences: confs, confidence: Math.exp(score) };
      }
    }
  });
  return best!;
}
