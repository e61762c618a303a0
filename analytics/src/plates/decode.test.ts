import { describe, expect, it } from 'vitest';
import { decodePlate } from './decode';
import { PLATE_COLORS, VOCAB, type PlateColor } from './grammar';
import { slotOffset } from './labels';
import { SLOTS } from './model';

/** Probabilities that put `p` on each given character and spread the rest evenly. */
function probs(chars: string[], p = 0.95, color: PlateColor = 'blue') {
  const v = VOCAB.length;
  const out = new Float32Array(SLOTS * v).fill((1 - p) / (v - 1));
  const offset = slotOffset(chars.length);
  chars.forEach((c, i) => (out[(offset + i) * v + VOCAB.indexOf(c)] = p));
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
    expect(d.confidence).toBeCloseTo(0.95 ** 7 * 0.96, 3);
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

describe('local province prior', () => {
  /** 皖 at `wan`, 赣 at `gan` in the province slot, a clean serial. */
  function doubtful(wan: number, gan: number) {
    const { out, colors } = probs([...'皖A12345']);
    const v = VOCAB.length;
    out.fill((1 - wan - gan) / (v - 2), 0, v);
    out[VOCAB.indexOf('皖')] = wan;
    out[VOCAB.indexOf('赣')] = gan;
    return { out, colors };
  }

  it('tips a doubtful province to the local one, and the reading keeps its doubt', () => {
    const { out, colors } = doubtful(0.1, 0.6);
    expect(decodePlate(out, colors).text).toBe('赣A12345');
    const d = decodePlate(out, colors, { localProvince: '皖' });
    expect(d.text).toBe('皖A12345');
    // 0.1·32 / (1 + 0.1·31) ≈ 0.78: below the gate's confident line, so such a car goes to review.
    expect(d.charConfidences[0]).toBeCloseTo(3.2 / 4.1, 3);
    expect(d.confidence).toBeLessThan(0.85);
  });

  it('clear evidence for another province wins over the prior', () => {
    const { out, colors } = doubtful(0.02, 0.95);
    expect(decodePlate(out, colors, { localProvince: '皖' }).text).toBe('赣A12345');
  });

  it('an unknown local province changes nothing', () => {
    const { out, colors } = doubtful(0.1, 0.6);
    expect(decodePlate(out, colors, { localProvince: 'X' })).toEqual(decodePlate(out, colors));
  });
});
