import { describe, expect, it } from 'vitest';
import { distanceM, MAX_SILENCE_MS, MIN_GAP_MS, shouldSend, type Fix } from './position-throttle';

const at = (latitude: number, longitude: number, ms: number): Fix => ({ latitude, longitude, accuracy: 10, at: ms });
const here = at(23.125, 113.265, 0);

describe('position throttle', () => {
  it('measures metres', () => {
    expect(distanceM(here, at(23.1251, 113.265, 0))).toBeCloseTo(11.1, 0);
    expect(distanceM(here, at(23.125, 113.2652, 0))).toBeCloseTo(20.5, 0);
  });

  it('sends the first fix, a move of 20 m or more, and anything after 15 s', () => {
    expect(shouldSend(null, here)).toBe(true);
    expect(shouldSend(here, at(23.1251, 113.265, 5000))).toBe(false); // 11 m
    expect(shouldSend(here, at(23.1252, 113.265, 5000))).toBe(true); // 22 m
    expect(shouldSend(here, at(23.125, 113.265, MAX_SILENCE_MS))).toBe(true);
  });

  it('does not send moves more often than every 3 s', () => {
    expect(shouldSend(here, at(23.126, 113.265, MIN_GAP_MS - 1))).toBe(false);
    expect(shouldSend(here, at(23.126, 113.265, MIN_GAP_MS))).toBe(true);
  });
});
