// The ground truth that analytics tests score against must describe what the renderers draw.
import { describe, expect, it } from 'vitest';
import { createGate } from './gate';
import { createStreet, STREET_VARIANTS } from './street';
import type { GateTruth, StreetTruth } from './types';

describe('street ground truth', () => {
  for (const variant of STREET_VARIANTS) {
    it(`${variant}: stalls sit inside their zone for minutes, passers-by never linger`, () => {
      const t = createStreet(variant).truth() as StreetTruth;
      expect(t.stalls.length).toBeGreaterThan(0);
      for (const s of t.stalls) {
        expect(s.end - s.start).toBeGreaterThanOrEqual(90);
        expect(s.end).toBeLessThanOrEqual(t.durationSec);
        const [zx0, zy0] = s.zone.polygon[0];
        const [zx1, zy1] = s.zone.polygon[2];
        const [x, y, w, h] = s.box;
        const cx = x + w / 2;
        const cy = y + h / 2;
        expect(cx > zx0 && cx < zx1 && cy > zy0 - 0.1 && cy < zy1).toBe(true);
        if (s.vendorAwayFrom !== undefined) expect(s.vendorAwayFrom > s.start && s.vendorAwayUntil! < s.end).toBe(true);
      }
      for (const p of t.passersBy) {
        expect(p.longestPauseSec).toBeLessThan(10);
        expect(p.exit).toBeLessThanOrEqual(t.durationSec);
      }
      expect(new Set(t.passersBy.map((p) => p.id)).size).toBe(t.passersBy.length);
    });
  }

  it('is deterministic and rejects unknown variants', () => {
    expect(createStreet('day').truth()).toEqual(createStreet('day').truth());
    expect(() => createStreet('night')).toThrow(/no variant/);
  });
});

describe('gate ground truth', () => {
  it('has blue, yellow, green and white plates that stop for a few seconds, one at a time', () => {
    const t = createGate().truth() as GateTruth;
    expect(new Set(t.vehicles.map((v) => v.type))).toEqual(new Set(['blue', 'yellow', 'green', 'white']));
    const grammar = { blue: /^[\u4e00-\u9fff][A-HJ-NP-Z][A-HJ-NP-Z0-9]{5}$/, yellow: /^[\u4e00-\u9fff][A-HJ-NP-Z][A-HJ-NP-Z0-9]{5}$/, green: /^[\u4e00-\u9fff][A-HJ-NP-Z][DF][A-HJ-NP-Z0-9]\d{4}$/, white: /^[\u4e00-\u9fff][A-HJ-NP-Z]\d{4}警$/ };
    t.vehicles.forEach((v, i) => {
      expect(v.plate).toMatch(grammar[v.type]);
      expect(v.stopEnd - v.stopStart).toBeGreaterThanOrEqual(3);
      expect(v.arrive < v.stopStart && v.stopEnd < v.depart && v.depart <= t.durationSec).toBe(true);
      if (i > 0) expect(v.arrive).toBeGreaterThan(t.vehicles[i - 1].depart);
      const [x, y, w, h] = v.box;
      expect(x >= 0 && y >= 0 && x + w <= 1 && y + h <= 1 && w > 0.1).toBe(true);
    });
  });
});
