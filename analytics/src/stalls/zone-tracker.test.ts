import { describe, expect, it } from 'vitest';
import type { Box } from './types';
import { overlapRatio, ZoneTracker, type ZoneBlob } from './zone-tracker';

const BOX: Box = [0.4, 0.5, 0.1, 0.1];
const blob = (dwell: number, still = 1, box: Box = BOX): ZoneBlob => ({ box, dwell, still });
const noSnap = () => undefined;

/** Feeds one blob list per 0.5 s step; returns the updates with the step time. */
function run(tracker: ZoneTracker, steps: ZoneBlob[][]) {
  return steps.flatMap((blobs, i) => tracker.update(i * 0.5, blobs, noSnap).map((u) => ({ t: i * 0.5, ...u })));
}

describe('ZoneTracker', () => {
  it('starts when dwell reaches the threshold and ends after the grace period', () => {
    const tr = new ZoneTracker('z', 10, { graceSec: 3, minStill: 0.5, keepStill: 0.3, cooldownSec: 0 });
    const steps: ZoneBlob[][] = [];
    for (let i = 0; i <= 40; i++) steps.push([blob(i * 0.5)]); // present 0–20 s
    for (let i = 0; i < 10; i++) steps.push([]); // gone
    const ups = run(tr, steps);
    expect(ups.map((u) => [u.type, u.t])).toEqual([
      ['start', 10],
      ['end', 23.5],
    ]);
    expect(ups[1].event).toMatchObject({ zoneId: 'z', start: 10, end: 20, box: BOX });
  });

  it('keeps one event through dropouts shorter than the grace period (no storm on flicker)', () => {
    const tr = new ZoneTracker('z', 5, { graceSec: 3, minStill: 0.5, keepStill: 0.3, cooldownSec: 0 });
    const steps: ZoneBlob[][] = [];
    for (let i = 0; i < 120; i++) steps.push(i % 5 === 4 || (i > 60 && i < 64) ? [] : [blob(i * 0.5)]);
    const ups = run(tr, steps);
    expect(ups.filter((u) => u.type === 'start')).toHaveLength(1);
    expect(tr.running).toHaveLength(1);
  });

  it('does not start on moving blobs, short visits, or below-threshold dwell', () => {
    const tr = new ZoneTracker('z', 10, { graceSec: 3, minStill: 0.5, keepStill: 0.3, cooldownSec: 0 });
    const steps: ZoneBlob[][] = [];
    for (let i = 0; i < 60; i++) steps.push([blob(i * 0.5, 0.2)]); // a crowd milling in place
    for (let i = 0; i < 10; i++) steps.push([blob(i * 0.5)]); // someone stopping for 5 s
    expect(run(tr, steps)).toEqual([]);
  });

  it('keeps the event alive while a passer-by occludes it, without stretching its box', () => {
    const tr = new ZoneTracker('z', 4, { graceSec: 2, minStill: 0.5, keepStill: 0.3, cooldownSec: 0 });
    const merged: Box = [0.35, 0.3, 0.2, 0.3];
    const steps: ZoneBlob[][] = [];
    for (let i = 0; i <= 10; i++) steps.push([blob(i * 0.5)]);
    for (let i = 0; i < 10; i++) steps.push([blob(2, 0.3, merged)]); // occluded: young pixels dominate
    const ups = run(tr, steps);
    expect(ups.map((u) => u.type)).toEqual(['start']);
    expect(tr.running[0].box).toEqual(BOX);
  });

  it('lets a crowd streaming over an emptied spot neither hold the event open nor restart it', () => {
    const tr = new ZoneTracker('z', 4, { graceSec: 2, minStill: 0.5, keepStill: 0.3, cooldownSec: 20 });
    const steps: ZoneBlob[][] = [];
    for (let i = 0; i <= 20; i++) steps.push([blob(i * 0.5)]); // stall 0–10 s
    for (let i = 0; i < 40; i++) steps.push([blob(20, i % 8 === 0 ? 0.6 : 0.1)]); // goods gone, crowd over the spot
    const ups = run(tr, steps);
    expect(ups.map((u) => [u.type, u.t])).toEqual([
      ['start', 4],
      ['end', 13],
    ]);
  });

  it('tracks two separate stalls in one zone as two events', () => {
    const tr = new ZoneTracker('z', 2, { graceSec: 2, minStill: 0.5, keepStill: 0.3, cooldownSec: 0 });
    const other: Box = [0.1, 0.1, 0.1, 0.1];
    const steps: ZoneBlob[][] = [];
    for (let i = 0; i <= 10; i++) steps.push([blob(i * 0.5), blob(i * 0.5, 1, other)]);
    expect(run(tr, steps).filter((u) => u.type === 'start')).toHaveLength(2);
    expect(tr.flush().map((u) => u.event.end)).toEqual([5, 5]);
    expect(tr.running).toHaveLength(0);
  });

  it('takes the snapshot only when an event starts', () => {
    const tr = new ZoneTracker('z', 1, { graceSec: 2, minStill: 0.5, keepStill: 0.3, cooldownSec: 0 });
    let calls = 0;
    const snap = () => {
      calls++;
      return { data: new Uint8Array(16 * 16), width: 16, height: 16, format: 'gray' as const };
    };
    for (let i = 0; i < 10; i++) tr.update(i, [blob(i)], snap);
    expect(calls).toBe(1);
    expect(tr.running[0].snapshotFrame?.width).toBe(16);
  });
});

describe('overlapRatio', () => {
  it('is intersection over the smaller box', () => {
    expect(overlapRatio([0, 0, 1, 1], [0.25, 0.25, 0.5, 0.5])).toBe(1);
    expect(overlapRatio([0, 0, 0.5, 0.5], [0.5, 0.5, 0.5, 0.5])).toBe(0);
    expect(overlapRatio([0, 0, 0.5, 0.5], [0.25, 0, 0.5, 0.5])).toBeCloseTo(0.5);
  });
  it('carries a resumed event on without a new start, and ends it normally when the spot clears', () => {
    const tr = new ZoneTracker('z', 10, { graceSec: 3, minStill: 0.5, keepStill: 0.3, cooldownSec: 0, resumeSec: 5 });
    tr.resume({ zoneId: 'z', start: -100, box: BOX });
    const steps: ZoneBlob[][] = [];
    for (let i = 0; i < 4; i++) steps.push([]); // presence still building after the restart
    for (let i = 4; i <= 40; i++) steps.push([blob((i - 4) * 0.5)]); // the goods are back as a blob (young, dwell < 10)
    for (let i = 0; i < 10; i++) steps.push([]); // gone
    const ups = run(tr, steps);
    expect(ups.map((u) => [u.type, u.t])).toEqual([['end', 23.5]]);
    expect(ups[0].event).toMatchObject({ zoneId: 'z', start: -100, end: 20, box: BOX });
  });

  it('ends a resumed event whose spot never shows anything within the resume allowance', () => {
    const tr = new ZoneTracker('z', 10, { graceSec: 1, minStill: 0.5, keepStill: 0.3, cooldownSec: 0, resumeSec: 4 });
    tr.resume({ zoneId: 'z', start: -50, box: BOX });
    const ups = run(tr, Array.from({ length: 20 }, () => []));
    // First frame at 0 s: not ended at 1 s (the grace) but once 4 s have passed with nothing.
    expect(ups.map((u) => [u.type, u.t])).toEqual([['end', 4.5]]);
    expect(ups[0].event).toMatchObject({ start: -50, end: 0 });
  });
});
