import { describe, expect, it } from 'vitest';
import { decodePlate } from './decode';
import { MAX_LEN, PLATE_COLORS, VOCAB, type PlateColor } from './grammar';

/** Probabilities that put `p` on each given character and spread the rest evenly. */
function probs(chars: string[], p = 0.95, color: PlateColor = 'blue') {
  const v = VOCAB.length;
  const out = new Float32Array(MAX_LEN * v).fill((1 - p) / (v - 1));
  for (let i = 0; i < MAX_LEN; i++) out[i * v + VOCAB.indexOf(chars[i] ?? '')] = p;
  const colors = PLATE_COLORS.map((c) => (c === color ? 0.96 : 0.01));
  return { out, colors };
}

describe('grammar-constrained decoding', () => {
  it('reads a clean 7-character plate confidently', () => {
    const { out, colors } = probs([...'京A12345']);
    const d = decodePlate(out, colors);
    expect(d.text).toBe('京A12345');
    expect(d.kind).toBe('ordinary');
    expect(d.color).toBe('blue');
    expect(d.confidence).toBeGreaterThan(0.6);
    expect(d.charConfidences).toHaveLength(7);
  });

  it('reads an 8-character new-energy plate', () => {
    const { out, colors } = probs([...'粤BD12345'], 0.95, 'green');
    expect(decodePlate(out, colors).text).toBe('粤BD12345');
  });

  it('never returns grammar-breaking text, and such evidence is not confident', () => {
    // The network "sees" a digit where the province must be.
    const { out, colors } = probs([...'1A12345']);
    const d = decodePlate(out, colors);
    expect([...d.text][0]).not.toBe('1');
    expect(d.confidence).toBeLessThan(0.01);
    expect(d.charConfidences[0]).toBeLessThan(0.01);
  });

  it('a police ending on a blue plate is resolved by the stronger evidence, with low confidence', () => {
    const { out, colors } = probs([...'京A1234警']);
    const d = decodePlate(out, colors);
    expect(d.confidence).toBeLessThan(0.1);
  });
});
