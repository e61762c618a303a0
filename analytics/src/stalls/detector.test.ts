// Hand-made frame sequences (synthetic street) through the whole detector.
import { afterEach, describe, expect, it } from 'vitest';
import { StallDetector } from './detector';
import { FrameError, ZoneError } from './errors';
import { WHOLE_FRAME } from './polygon';
import { randomWalkers, SyntheticRenderer, type SyntheticScene, type SyntheticStall } from './synthetic';
import type { Box, StallEvent, ZoneSpec } from './types';
import { overlapRatio } from './zone-tracker';

const FPS = 2;
const GOODS: SyntheticStall = { id: 's', start: 20, end: 80, box: [0.4, 0.55, 0.12, 0.1], color: [180, 60, 50], vendorUntil: 45 };
const whole = (dwellSec = 10): ZoneSpec[] => [{ id: 'z', polygon: WHOLE_FRAME, dwellSec }];

let detector: StallDetector | undefined;
afterEach(() => detector?.dispose());

function scene(over: Partial<SyntheticScene>): SyntheticScene {
  return { width: 320, height: 180, fps: FPS, durationSec: 100, walkers: [], stalls: [], noise: 4, shadows: true, ...over };
}

async function detect(sc: SyntheticScene, zones = whole()): Promise<StallEvent[]> {
  const r = new SyntheticRenderer(sc);
  detector = await StallDetector.create(zones);
  const events: StallEvent[] = [];
  for (let i = 0; i < r.frameCount; i++) {
    for (const u of detector.process(r.render(i / FPS), i / FPS)) if (u.type === 'end') events.push(u.event);
  }
  for (const u of detector.flush()) events.push(u.event);
  return events;
}

function expectStall(e: StallEvent, truth: { start: number; end: number; box: Box }, dwell: number): void {
  expect(e.start - truth.start - dwell).toBeGreaterThanOrEqual(-0.6);
  expect(e.start - truth.start - dwell).toBeLessThanOrEqual(1.5);
  expect(e.end as number).toBeGreaterThanOrEqual(truth.end - 1);
  expect(e.end as number).toBeLessThanOrEqual(truth.end + 3);
  expect(overlapRatio(e.box, truth.box)).toBeGreaterThan(0.7);
}

describe('StallDetector', () => {
  it('raises one event for goods that stay after the vendor walks away', async () => {
    const events = await detect(scene({ stalls: [GOODS], walkers: randomWalkers(1, 100, 0.5) }));
    expect(events).toHaveLength(1);
    expectStall(events[0], GOODS, 10);
    expect(events[0].snapshotFrame).toMatchObject({ width: 320, height: 180, format: 'rgb' });
  });

  it('stays quiet for a dense crowd of passers-by with shadows and noise', async () => {
    expect(await detect(scene({ walkers: randomWalkers(2, 100, 4), noise: 6 }))).toEqual([]);
  });

  it('ignores a slow dusk-like darkening and still finds a stall during it', async () => {
    const light = (t: number) => 1 - 0.5 * (t / 100);
    expect(await detect(scene({ light, walkers: randomWalkers(3, 100, 1) }))).toEqual([]);
    const events = await detect(scene({ light, stalls: [GOODS], walkers: randomWalkers(3, 100, 1) }));
    expect(events).toHaveLength(1);
    expectStall(events[0], GOODS, 10);
  });

  it('relearns on a sudden global change (lights switched on) instead of raising alarms', async () => {
    expect(await detect(scene({ light: (t) => (t < 40 ? 0.6 : 1), walkers: randomWalkers(4, 100, 1) }))).toEqual([]);
  });

  it('ignores someone pausing shorter than the dwell, but counts a person who stays', async () => {
    const walker = { enter: 5, speed: 0.1, y: 0.8, w: 0.03, h: 0.2, color: [30, 90, 160] as [number, number, number], pauseAt: 0.5 };
    expect(await detect(scene({ walkers: [{ ...walker, pauseSec: 6 }] }))).toEqual([]);
    const events = await detect(scene({ walkers: [{ ...walker, pauseSec: 30 }] }));
    expect(events).toHaveLength(1);
    expect(events[0].end! - events[0].start).toBeGreaterThan(15);
  });

  it('only reports inside the zone, with the zone’s own dwell', async () => {
    const left: ZoneSpec = { id: 'left', polygon: [[0, 0], [0.3, 0], [0.3, 1], [0, 1]], dwellSec: 5 };
    const right: ZoneSpec = { id: 'right', polygon: [[0.3, 0], [1, 0], [1, 1], [0.3, 1]], dwellSec: 15 };
    const events = await detect(scene({ stalls: [GOODS] }), [left, right]);
    expect(events.map((e) => e.zoneId)).toEqual(['right']);
    expectStall(events[0], GOODS, 15);
  });

  it('is not fooled by an object that was there at start-up and leaves (ghost)', async () => {
    const initialObjects = [{ box: [0.1, 0.7, 0.1, 0.1] as Box, color: [40, 130, 60] as [number, number, number], leaveAt: 15 }];
    expect(await detect(scene({ initialObjects, walkers: randomWalkers(5, 100, 0.3) }))).toEqual([]);
  });

  it('skips corrupt frames with FrameError and keeps detecting', async () => {
    const r = new SyntheticRenderer(scene({ stalls: [GOODS] }));
    detector = await StallDetector.create(whole());
    const starts: number[] = [];
    for (let i = 0; i < r.frameCount; i++) {
      const t = i / FPS;
      const frame = r.render(t);
      if (i % 17 === 5) {
        expect(() => detector!.process({ ...frame, data: frame.data.subarray(1) }, t)).toThrow(FrameError);
        expect(() => detector!.process({ ...frame, width: 0 }, t)).toThrow(FrameError);
        expect(() => detector!.process({ ...frame, format: 'yuv' as never }, t)).toThrow(FrameError);
      }
      for (const u of detector.process(frame, t)) if (u.type === 'start') starts.push(u.event.start);
      if (i === 50) expect(() => detector!.process(frame, t)).toThrow(FrameError); // time must advance
    }
    expect(starts).toHaveLength(1);
    expect(starts[0]).toBeCloseTo(30, 0);
  });

  it('validates zones up front and on replacement, ending events of removed zones', async () => {
    await expect(StallDetector.create([{ id: 'z', polygon: WHOLE_FRAME, dwellSec: 0 }])).rejects.toBeInstanceOf(ZoneError);
    const r = new SyntheticRenderer(scene({ stalls: [GOODS] }));
    detector = await StallDetector.create(whole(5));
    for (let i = 0; i < 60 * FPS; i++) detector.process(r.render(i / FPS), i / FPS);
    expect(detector.runningEvents).toHaveLength(1);
    expect(() => detector!.setZones([{ id: 'bad', polygon: [[0, 0], [1, 1], [1, 0], [0, 1]], dwellSec: 5 }])).toThrow(ZoneError);
    expect(detector.runningEvents).toHaveLength(1);
    const ended = detector.setZones([{ id: 'other', polygon: [[0, 0], [0.2, 0], [0.2, 0.2]], dwellSec: 5 }]);
    expect(ended.map((u) => [u.type, u.event.zoneId])).toEqual([['end', 'z']]);
    expect(detector.runningEvents).toHaveLength(0);
  });
});
