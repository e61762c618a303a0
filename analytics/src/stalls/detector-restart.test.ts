// A pipeline that stops (crash, redeploy, job moved to another worker) while a stall stands: the
// next detector starts from the saved background and takes the open event over, on hand-made
// frames of the synthetic street.
import { afterEach, describe, expect, it } from 'vitest';
import { StallDetector } from './detector';
import { WHOLE_FRAME } from './polygon';
import { randomWalkers, SyntheticRenderer, type SyntheticStall } from './synthetic';
import type { BackgroundRef, StallUpdate, ZoneSpec } from './types';

const FPS = 2;
const GOODS: SyntheticStall = { id: 's', start: 20, end: 80, box: [0.4, 0.55, 0.12, 0.1], color: [180, 60, 50], vendorUntil: 45 };
const ZONES: ZoneSpec[] = [{ id: 'z', polygon: WHOLE_FRAME, dwellSec: 10 }];
const render = new SyntheticRenderer({ width: 320, height: 180, fps: FPS, durationSec: 100, walkers: randomWalkers(1, 100, 0.5), stalls: [GOODS], noise: 4, shadows: true });

const detectors: StallDetector[] = [];
afterEach(() => detectors.splice(0).forEach((d) => d.dispose()));

async function detector(): Promise<StallDetector> {
  const d = await StallDetector.create(ZONES);
  detectors.push(d);
  return d;
}

/** Frames from `from` to `to` seconds; returns the updates and every background offered. */
function run(d: StallDetector, from: number, to: number) {
  const ups: (StallUpdate & { t: number })[] = [];
  const refs: { t: number; ref: BackgroundRef }[] = [];
  for (let i = Math.round(from * FPS); i < to * FPS; i++) {
    const t = i / FPS;
    for (const u of d.process(render.render(t), t)) ups.push({ ...u, t });
    const ref = d.backgroundReference();
    if (ref) refs.push({ t, ref });
  }
  return { ups, refs };
}

/** First run: watches 0–40 s (the goods arrive at 20 s, the event starts at ~30 s), then dies. */
async function firstRun() {
  const a = await detector();
  const { ups, refs } = run(a, 0, 40);
  expect(ups.map((u) => u.type)).toEqual(['start']);
  // Offered only while nothing builds up in the zone: never once the goods are down.
  expect(refs.length).toBeGreaterThan(0);
  expect(Math.max(...refs.map((r) => r.t))).toBeLessThan(GOODS.start + 2);
  return { event: ups[0].event, ref: refs[refs.length - 1].ref };
}

describe('StallDetector across a restart', () => {
  it('continues the open event from the saved background and ends it when the goods go', async () => {
    const { event, ref } = await firstRun();
    const b = await detector();
    b.seedBackground(ref);
    expect(b.resume({ zoneId: 'z', start: event.start, box: event.box })).toBeDefined();
    const { ups } = run(b, 50, 100);
    // No second start (no duplicate event or pop-up); one end, of the original event.
    expect(ups.map((u) => u.type)).toEqual(['end']);
    expect(ups[0].event.start).toBe(event.start);
    expect(ups[0].event.end).toBeGreaterThanOrEqual(GOODS.end - 1);
    expect(ups[0].event.end).toBeLessThanOrEqual(GOODS.end + 3);
  });

  it('without a saved background learns the goods as ground: the taken-over event ends at once (the old gap)', async () => {
    const { event } = await firstRun();
    const b = await detector();
    b.resume({ zoneId: 'z', start: event.start, box: event.box });
    const { ups } = run(b, 50, 100);
    expect(ups.map((u) => u.type)).toEqual(['end']);
    expect(ups[0].t).toBeLessThan(62);
  });

  it('sees goods laid out while no pipeline ran, against the saved background', async () => {
    const { ref } = await firstRun();
    const b = await detector();
    b.seedBackground(ref);
    const { ups } = run(b, 45, 100);
    // Presence counts from the restart: the new event starts one dwell after it.
    expect(ups.map((u) => [u.type, u.t >= 55 && u.t <= 57])).toEqual([
      ['start', true],
      ['end', false],
    ]);
    expect(ups[1].event.end).toBeGreaterThanOrEqual(GOODS.end - 1);
  });

  it('ends a taken-over event whose goods left while no pipeline ran, within the grace', async () => {
    const { event, ref } = await firstRun();
    const b = await detector();
    b.seedBackground(ref);
    b.resume({ zoneId: 'z', start: event.start, box: event.box });
    const { ups } = run(b, 85, 100);
    expect(ups.map((u) => u.type)).toEqual(['end']);
    expect(ups[0].event).toMatchObject({ start: event.start, end: 85 });
    expect(ups[0].t).toBeLessThanOrEqual(85 + 5.5);
  });

  it('ignores a saved background of another size and leaves events of unwatched zones to the caller', async () => {
    const b = await detector();
    b.seedBackground({ width: 160, height: 90, rgb: new Uint8Array(160 * 90 * 3) });
    expect(b.resume({ zoneId: 'gone', start: 1, box: [0, 0, 0.1, 0.1] })).toBeUndefined();
    const { ups, refs } = run(b, 0, 15);
    expect(ups).toEqual([]);
    // It warmed up normally (4.5 s of frames) and then offers its own background.
    expect(refs[0].t).toBeGreaterThanOrEqual(4);
  });
});
