// Training targets: one-hot per character position and for the colour.
import { MAX_LEN, PLATE_COLORS, VOCAB, type PlateColor } from './grammar';

const INDEX = new Map(VOCAB.map((c, i) => [c, i]));

export function encodeText(text: string): number[] {
  const chars = [...text];
  if (chars.length > MAX_LEN) throw new Error(`plate text too long: ${text}`);
  return Array.from({ length: MAX_LEN }, (_, i) => {
    const idx = INDEX.get(chars[i] ?? '');
    if (idx === undefined) throw new Error(`character outside the vocabulary: ${chars[i]}`);
    return idx;
  });
}

export function oneHotBatch(texts: readonly string[], colors: readonly PlateColor[]): { chars: Float32Array; color: Float32Array } {
  const v = VOCAB.length;
  const chars = new Float32Array(texts.length * MAX_LEN * v);
  const color = new Float32Array(texts.length * PLATE_COLORS.length);
  texts.forEach((t, b) => {
    encodeText(t).forEach((idx, p) => (chars[(b * MAX_LEN + p) * v + idx] = 1));
    color[b * PLATE_COLORS.length + PLATE_COLORS.indexOf(colors[b])] = 1;
  });
  return { chars, color };
}
