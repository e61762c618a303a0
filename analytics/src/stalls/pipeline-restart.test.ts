// CameraPipeline across a stop: the first run is aborted while a stall stands and must leave its
// event open; the next run takes it over (same key, no second start) from the saved background and
// ends it when the goods go. Hand-made frames; the sink and the background store are in memory.
import { describe, expect, it } from 'vitest';
import type { BackgroundStore } from './background-store';
import { CameraPipeline, type CameraStallEvent, type FeedFrame, type FrameFeed, type OpenStallEvent, type PipelineDeps } from './pipeline';
import { WHOLE_FRAME } from './polygon';
import { randomWalkers, SyntheticRenderer } from './synthetic';
import type { BackgroundRef, ZoneSpec } from './types';

const T0 = Date.UTC(2026, 10, 29, 9, 0, 0);
const GOODS = { id: 's', start: 20, end: 80, box: [0.4, 0.55, 0.12, 0.1] as [number, number, number, number], color: [180, 60, 50] as [number, number, number] };
const render = new SyntheticRenderer({ width: 320, height: 180, fps: 2, durationSec: 100, walkers: randomWalkers(4, 100, 0.5), stalls: [GOODS], noise: 4, shadows: true });
const ZONES: ZoneSpec[] = [{ id: 'z', polygon: WHOLE_FRAME, dwellSec: 10 }];

/** Frames from..to seconds (video time on a wall clock from T0); `onFrame` may abort the run. */
function feed(from: number, to: number, onFrame: (t: number) => void = () => undefined): FrameFeed {
  let closed = false;
  return {
    close: () => void (closed = true),
    async *[Symbol.asyncIterator](): AsyncGenerator<FeedFrame> {
      for (let i = from * 2; i < to * 2 && !closed; i++) {
        const f = render.render(i / 2);
        yield { data: f.data, width: f.width, height: f.height, format: 'rgb24', capturedAt: T0 + i * 500 };
        onFrame(i / 2);
        await new Promise((r) => setImmediate(r));
      }
    },
  };
}

/** What the server keeps: events by key (open until ended) and each camera's background. */
function memory() {
  const events = new Map<string, CameraStallEvent>();
  const started: string[] = [];
  const ended: string[] = [];
  const saved: BackgroundRef[] = [];
  const backgrounds: BackgroundStore = { load: async () => saved.at(-1), save: async (_c, ref) => void saved.push(ref) };
  const deps = (zones: ZoneSpec[], openFrames: () => FrameFeed): PipelineDeps => ({
    openFrames,
    loadZones: async () => zones,
    backgrounds,
    openEvents: async (): Promise<OpenStallEvent[]> => [...events.values()].filter((e) => e.end === null).map(({ zoneId, key, start, box }) => ({ zoneId, key, start, box })),
    sink: {
      started: async (e) => void (started.push(e.key), events.set(e.key, e)),
      ended: async (e) => void (ended.push(e.key), events.set(e.key, e)),
    },
  });
  return { events, started, ended, saved, deps };
}

describe('CameraPipeline restart', () => {
  it('leaves the event open when stopped and lets the next run continue and end it', async () => {
    const m = memory();
    const ac = new AbortController();
    const first = await new CameraPipeline('cam', m.deps(ZONES, () => feed(0, 100, (t) => t >= 40 && ac.abort()))).run(ac.signal);
    expect(first).toBe('aborted');
    expect(m.started).toHaveLength(1);
    expect(m.ended).toEqual([]);
    expect(m.saved.length).toBeGreaterThan(0);

    const second = await new CameraPipeline('cam', m.deps(ZONES, () => feed(50, 100))).run(new AbortController().signal);
    expect(second).toBe('feed-ended');
    expect(m.started).toHaveLength(1);
    expect(m.ended).toEqual(m.started);
    const e = m.events.get(m.started[0])!;
    expect((e.end!.getTime() - T0) / 1000).toBeGreaterThanOrEqual(GOODS.end - 1);
    expect((e.end!.getTime() - T0) / 1000).toBeLessThanOrEqual(GOODS.end + 3);
  });

  it('ends open events when their zone is no longer watched', async () => {
    const m = memory();
    const ac = new AbortController();
    await new CameraPipeline('cam', m.deps(ZONES, () => feed(0, 100, (t) => t >= 40 && ac.abort()))).run(ac.signal);
    expect(m.started).toHaveLength(1);
    // The zone was switched off while nothing ran: the next run ends the event without frames.
    let opened = 0;
    expect(await new CameraPipeline('cam', m.deps([], () => (opened++, feed(0, 0)))).run(new AbortController().signal)).toBe('no-zones');
    expect(opened).toBe(0);
    expect(m.ended).toEqual(m.started);
  });
});
