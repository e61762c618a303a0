import { describe, expect, it } from 'vitest';
import { fitCells, layoutOf, profileFor } from './layouts';

describe('wall layouts', () => {
  it('has the tile counts operators expect', () => {
    expect(['1', '4', '9', '16', '1+5', '1+7'].map((k) => layoutOf(k).cells.length)).toEqual([1, 4, 9, 16, 6, 8]);
  });

  it('places the large tile of 1+5 over a 2×2 corner and never overlaps two tiles', () => {
    for (const key of ['1+5', '1+7', '16']) {
      const l = layoutOf(key);
      const taken = new Set<string>();
      for (const c of l.cells) {
        for (let r = c.row; r < c.row + c.span; r++) {
          for (let k = c.col; k < c.col + c.span; k++) {
            const at = `${r}:${k}`;
            expect(taken.has(at)).toBe(false);
            taken.add(at);
            expect(r).toBeLessThanOrEqual(l.size);
            expect(k).toBeLessThanOrEqual(l.size);
          }
        }
      }
      expect(taken.size).toBe(l.size * l.size);
    }
    expect(layoutOf('1+5').cells[0]).toEqual({ col: 1, row: 1, span: 2 });
  });

  it('falls back to 4 for an unknown key (old saved walls, hand-edited storage)', () => {
    expect(layoutOf('25').key).toBe('4');
    expect(layoutOf('').key).toBe('4');
  });

  it('plays main on large tiles and sub on small ones', () => {
    const l9 = layoutOf('9');
    expect(profileFor(l9, l9.cells[0], false)).toBe('sub');
    expect(profileFor(l9, l9.cells[0], true)).toBe('main');
    expect(profileFor(layoutOf('1'), layoutOf('1').cells[0], false)).toBe('main');
    expect(profileFor(layoutOf('4'), layoutOf('4').cells[0], false)).toBe('sub');
    expect(profileFor(layoutOf('1+5'), layoutOf('1+5').cells[0], false)).toBe('main');
    const l17 = layoutOf('1+7');
    expect(profileFor(l17, l17.cells[0], false)).toBe('main');
    expect(profileFor(l17, l17.cells[1], false)).toBe('sub');
  });

  it('keeps placed cameras when the layout grows or shrinks', () => {
    expect(fitCells(['a', null, 'c'], 4)).toEqual(['a', null, 'c', null]);
    expect(fitCells(['a', 'b', 'c', 'd'], 1)).toEqual(['a']);
  });
});
