// Stall pipelines as BullMQ jobs on real Redis: the camera simulator's street clip through the
// detector to sink events with snapshots; no zones → no decoding; a feed that stops shows as
// stalled and recovers; corrupt frames are skipped.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { renderScene } from '../camera-sim/src/index';
import { decodeFrames } from '../analytics/src/stalls/ffmpeg-frames';
import type { CameraStallEvent, FeedFrame, FrameFeed, PipelineDeps } from '../analytics/src/stalls/pipeline';
import { SyntheticRenderer } from '../analytics/src/stalls/synthetic';
import type { ZoneSpec } from '../analytics/src/stalls/types';
import { readStallHealth, StallScheduler, StallWorker, summariseStallHealth } from '../analytics/src/stalls/worker';
import { testRedisPrefix } from './support/db';

const base = testRedisPrefix('stalls').replace(/:$/, '');
let prefix = base;
let run = 0;
beforeEach(() => {
  // Each test gets its own queue: a worker of one test must not take another test's camera.
  prefix = `${base}-${++run}`;
});
const connection = { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null };
const redis = new Redis({ host: '127.0.0.1', port: 6379 });
const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of closers.reverse()) await c();
  const keys = await redis.keys(`${base}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

/** A feed from any async frame source; close() ends the iteration like media's FrameSubscription. */
function feedFrom(source: (signal: AbortSignal) => AsyncIterable<FeedFrame>): FrameFeed {
  const ac = new AbortController();
  return {
    close: () => ac.abort(),
    async *[Symbol.asyncIterator]() {
      for await (const f of source(ac.signal)) {
        if (ac.signal.aborted) return;
        yield f;
      }
    },
  };
}

function collector() {
  const started: CameraStallEvent[] = [];
  const ended: CameraStallEvent[] = [];
  return { started, ended, sink: { started: async (e: CameraStallEvent) => void started.push(e), ended: async (e: CameraStallEvent) => void ended.push(e) } };
}

async function until(cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function startWorker(deps: PipelineDeps) {
  const worker = new StallWorker({ connection, prefix, deps, healthRedis: redis, healthKeyPrefix: `${prefix}:` });
  closers.push(() => worker.close());
  return worker;
}

describe('stall worker', () => {
  it('runs a camera pipeline from the queue and reports each simulated stall once, with a snapshot', async () => {
    const scene = await renderScene('street', 'day');
    const truth = scene.truth as unknown as { zones: { id: string; polygon: [number, number][] }[]; stalls: { start: number; zone: { id: string } }[] };
    const zones: ZoneSpec[] = truth.zones.map((z) => ({ id: z.id, polygon: z.polygon, dwellSec: 20 }));
    const t0 = Date.UTC(2026, 10, 29, 8, 0, 0);
    const { started, ended, sink } = collector();
    let opened = 0;
    const worker = startWorker({
      sink,
      loadZones: async () => zones,
      // Video time stands in for the capture clock, so the 160 s clip runs as fast as it decodes.
      openFrames: () => {
        opened++;
        return feedFrom(async function* (signal) {
          for await (const { frame, t } of decodeFrames(scene.subPath, { fps: 2, maxWidth: 640 }, signal)) {
            yield { data: frame.data, width: frame.width, height: frame.height, format: 'rgb24', capturedAt: t0 + t * 1000 };
          }
          // A camera's feed stays open after the clip: on an idle machine the clip decodes in ~3 s,
          // faster than health is published, and a finished job would take its health with it.
          if (!signal.aborted) await new Promise((r) => signal.addEventListener('abort', r, { once: true }));
        });
      },
    });
    const scheduler = new StallScheduler({ connection, prefix });
    closers.push(() => scheduler.close());
    await scheduler.sync(['cam-street']);
    await scheduler.sync(['cam-street']); // idempotent: still one pipeline
    await until(async () => (await readStallHealth(redis, `${prefix}:`)).some((h) => h.cameraId === 'cam-street' && h.frames > 0), 60_000, 'health');
    expect(worker.health()).toHaveLength(1);
    await until(() => ended.length >= truth.stalls.length, 180_000, 'all stalls to end');
    expect(opened).toBe(1);
    expect(started.map((e) => e.zoneId).sort()).toEqual(truth.stalls.map((s) => s.zone.id).sort());
    for (const e of started) {
      const s = truth.stalls.find((x) => x.zone.id === e.zoneId)!;
      const delay = (e.start.getTime() - t0) / 1000 - s.start - 20;
      expect(delay).toBeGreaterThanOrEqual(-1);
      expect(delay).toBeLessThanOrEqual(2);
      expect(e.key).toBe(`stall:cam-street:${e.zoneId}:${e.start.getTime()}`);
      expect(e.snapshotJpeg?.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    }
    expect(new Set(ended.map((e) => e.key))).toEqual(new Set(started.map((e) => e.key)));
  }, 300_000);

  it('does not open frames for a camera without active zones, and ends the job', async () => {
    let opened = 0;
    const worker = startWorker({ sink: collector().sink, loadZones: async () => [], openFrames: () => (opened++, feedFrom(async function* () {})) });
    const scheduler = new StallScheduler({ connection, prefix });
    closers.push(() => scheduler.close());
    await scheduler.sync(['cam-empty']);
    await new Promise((r) => setTimeout(r, 1500));
    expect(opened).toBe(0);
    expect(worker.health().find((h) => h.cameraId === 'cam-empty')).toBeUndefined();
  });

  it('shows a camera whose frames stop as stalled, recovers, and skips corrupt frames', async () => {
    const r = new SyntheticRenderer({ width: 320, height: 180, fps: 2, durationSec: 60, walkers: [], stalls: [] });
    let gate: (() => void) | undefined;
    const paused = new Promise<void>((res) => (gate = res));
    const worker = startWorker({
      sink: collector().sink,
      loadZones: async () => [{ id: 'z', polygon: [[0, 0], [1, 0], [1, 1]], dwellSec: 10 }],
      stallAfterMs: 600,
      openFrames: () =>
        feedFrom(async function* (signal) {
          const t0 = Date.now();
          for (let i = 0; i < 40 && !signal.aborted; i++) {
            if (i === 20) await paused; // the camera goes quiet
            const f = r.render(i / 2);
            yield { data: i === 5 ? f.data.subarray(7) : f.data, width: f.width, height: f.height, format: 'rgb24', capturedAt: t0 + i * 500 };
            await new Promise((res) => setTimeout(res, 20));
          }
          if (!signal.aborted) await new Promise<void>((res) => signal.addEventListener('abort', () => res(), { once: true }));
        }),
    });
    const scheduler = new StallScheduler({ connection, prefix });
    closers.push(() => scheduler.close());
    await scheduler.sync(['cam-flaky']);
    const h = () => worker.health().find((x) => x.cameraId === 'cam-flaky');
    await until(() => h()?.state === 'stalled', 30_000, 'stalled state');
    expect(summariseStallHealth(worker.health()).status).toBe('degraded');
    expect(h()!.corruptFrames).toBe(1);
    gate!();
    await until(() => h()?.state === 'running' && h()!.frames >= 35, 30_000, 'recovery');
    expect(summariseStallHealth(worker.health()).status).toBe('ok');
  });
});
