// Training targets: one-hot per character slot (only the slots of the plate's layout) and colour.
import { PLATE_COLORS, VOCAB, type PlateColor } from './grammar';
import { SLOTS, SLOTS_7, SLOTS_8 } from './model';

const INDEX = new Map(VOCAB.map((c, i) => [c, i]));

/** First slot of a layout: 7-character plates use slots 0–6, 8-character ones 7–14. */
export function slotOffset(length: number): number {
  if (length === SLOTS_7) return 0;
  if (length === SLOTS_8) return SLOTS_7;
  throw new Error(`plates have 7 or 8 characters, not ${length}`);
}

export function encodeText(text: string): number[] {
  return [...text].map((c) => {
    const idx = INDEX.get(c);
    if (idx === undefined || idx === 0) throw new Error(`character outside the vocabulary: ${c}`);
    return idx;
  });
}

export function oneHotBatch(texts: readonly string[], colors: readonly PlateColor[]): { chars: Float32Array; color: Float32Array } {
  const v = VOCAB.length;
  const chars = new Float32Array(texts.length * SLOTS * v);
  const color = new Float32Array(texts.length * PLATE_COLORS.length);
  texts.forEach((t, b) => {
    const codes = encodeText(t);
    const offset = slotOffset(codes.length);
    codes.forEach((idx, p) => (chars[(b * SLOTS + offset + p) * v + idx] = 1));
    color[b * PLATE_COLORS.length + PLATE_COLORS.indexOf(colors[b])] = 1;
  });
  return { chars, color };
}
