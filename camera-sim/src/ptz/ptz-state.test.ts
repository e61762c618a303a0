import { describe, expect, it } from 'vitest';
import { MAX_PRESETS, PtzState } from './ptz-state';

describe('PtzState', () => {
  it('moves absolutely and relatively within the generic spaces', () => {
    const p = new PtzState(() => 0);
    p.absoluteMove({ pan: 0.5, tilt: -0.5, zoom: 0.2 });
    expect(p.position()).toEqual({ pan: 0.5, tilt: -0.5, zoom: 0.2 });
    p.relativeMove({ pan: 1, zoom: 2 });
    expect(p.position()).toEqual({ pan: 1, tilt: -0.5, zoom: 1 });
  });

  it('integrates continuous moves until stop or timeout', () => {
    let now = 0;
    const p = new PtzState(() => now);
    p.continuousMove({ pan: 1 }, 1000);
    now = 500;
    expect(p.position().pan).toBeCloseTo(0.25);
    expect(p.moving()).toEqual({ panTilt: true, zoom: false });
    now = 5000;
    expect(p.position().pan).toBeCloseTo(0.5);
    expect(p.moving().panTilt).toBe(false);
    p.continuousMove({ zoom: 1 });
    now = 6000;
    p.stop();
    now = 9000;
    expect(p.position().zoom).toBeCloseTo(0.5);
  });

  it('keeps presets, refuses unknown tokens and a full table', () => {
    const p = new PtzState(() => 0);
    p.absoluteMove({ pan: -1 });
    const t = p.setPreset('left')!;
    p.gotoPreset('1');
    expect(p.position().pan).toBe(0);
    expect(p.gotoPreset(t)).toBe(true);
    expect(p.position().pan).toBe(-1);
    expect(p.gotoPreset('nope')).toBe(false);
    expect(p.setPreset('x', 'nope')).toBeUndefined();
    while (p.listPresets().length < MAX_PRESETS) p.setPreset('fill');
    expect(p.setPreset('one too many')).toBeUndefined();
  });

  it('maps position to a crop window inside the scene', () => {
    const p = new PtzState(() => 0);
    expect(p.view()).toEqual([0.2, 0.2, 0.6, 0.6]);
    p.absoluteMove({ pan: 1, tilt: 1, zoom: 1 });
    const [x, y, w, h] = p.view();
    expect(x + w).toBeCloseTo(1);
    expect(y).toBeCloseTo(0);
    expect(w).toBeCloseTo(0.15);
    expect(h).toBeCloseTo(0.15);
  });
});
