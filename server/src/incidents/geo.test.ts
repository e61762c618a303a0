import { describe, expect, it } from 'vitest';
import { parseGeoPoint, toGeo, toLocalMap } from './geo';

const origin = { latitude: 23.12, longitude: 113.26 };

describe('local map projection', () => {
  it('puts the origin at 0,0 and measures metres east and north', () => {
    expect(toLocalMap(origin, origin)).toEqual({ x: 0, y: 0 });
    // One thousandth of a degree of latitude is about 111 m anywhere.
    expect(toLocalMap(origin, { latitude: 23.121, longitude: 113.26 }).y).toBeCloseTo(111.2, 0);
    // A thousandth of a degree of longitude shrinks with cos(latitude): ~102 m at 23°N.
    expect(toLocalMap(origin, { latitude: 23.12, longitude: 113.261 }).x).toBeCloseTo(102.3, 0);
    expect(toLocalMap(origin, { latitude: 23.119, longitude: 113.259 })).toMatchObject({ x: expect.any(Number), y: expect.any(Number) });
    expect(toLocalMap(origin, { latitude: 23.119, longitude: 113.259 }).x).toBeLessThan(0);
  });

  it('round-trips with toGeo to within 0.1 m', () => {
    for (const [x, y] of [[0, 0], [180, 300], [-2500, 4100]]) {
      const back = toLocalMap(origin, toGeo(origin, x, y));
      expect(Math.abs(back.x - x)).toBeLessThanOrEqual(0.1);
      expect(Math.abs(back.y - y)).toBeLessThanOrEqual(0.1);
    }
  });

  it('parses lat,lon and refuses anything else', () => {
    expect(parseGeoPoint('23.12, 113.26')).toEqual(origin);
    expect(parseGeoPoint('-33.9,151.2')).toEqual({ latitude: -33.9, longitude: 151.2 });
    for (const bad of ['', '23.12', '91,10', '23.1,181', 'a,b', '23.1,113.2,5']) expect(parseGeoPoint(bad)).toBeNull();
  });
});
