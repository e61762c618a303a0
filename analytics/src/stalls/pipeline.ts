// One camera's stall analysis: frames from the media node's shared decoder → detector → sink.
// Lives as long as its run() (a BullMQ job in production); health() is read at any time.
// A camera that stops sending frames shows as `stalled` and recovers when frames return; a
// corrupt frame is counted and skipped; a failing sink is counted, never fatal.
// A pipeline that stops (worker closing or dying, feed gone) leaves its open events open: the
// next run of the camera, on any worker, takes them over with the saved background. Only a zone
// clear for its grace, or a zone switched off or deleted, ends an event.
import sharp from 'sharp';
import type { BackgroundStore } from './background-store';
import { StallDetector, type DetectorOptions } from './detector';
import { FrameError } from './errors';
import type { Box, Frame, StallEvent, StallUpdate, ZoneSpec } from './types';

/** What media/'s FrameSubscription yields (structurally; analytics does not import media). */
export interface FeedFrame {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  format: 'rgb24' | 'rgba';
  /** Wall-clock milliseconds. */
  capturedAt: number;
}

export interface FrameFeed extends AsyncIterable<FeedFrame> {
  close(): void;
}

export interface CameraStallEvent {
  cameraId: string;
  zoneId: string;
  /** Stable per stall: `stall:<camera>:<zone>:<start ms>` — use as the event bus dedup key. */
  key: string;
  start: Date;
  end: Date | null;
  box: Box;
  snapshotJpeg?: Buffer;
}

/** An event a stopped run of the camera left open (as the sink stored it). */
export interface OpenStallEvent {
  zoneId: string;
  key: string;
  start: Date;
  box: Box;
}

export interface StallSink {
  started(e: CameraStallEvent): Promise<void>;
  ended(e: CameraStallEvent): Promise<void>;
}

export interface PipelineDeps {
  openFrames(cameraId: string): FrameFeed;
  /** The camera's enabled zones that are active now; empty stops the pipeline. */
  loadZones(cameraId: string): Promise<ZoneSpec[]>;
  sink: StallSink;
  /** The camera's open events (any worker's); taken over, never raised again. */
  openEvents?(cameraId: string): Promise<OpenStallEvent[]>;
  /** Keeps the camera's long-term background between runs. */
  backgrounds?: BackgroundStore;
  /** The background is saved at most this often (frame clock), and only from quiet frames. */
  backgroundEveryMs?: number;
  stallAfterMs?: number;
  zonesRefreshMs?: number;
  detector?: Partial<DetectorOptions>;
  log?: (msg: string, err?: unknown) => void;
}

export type PipelineState = 'starting' | 'running' | 'stalled' | 'stopped';

export interface PipelineHealth {
  cameraId: string;
  state: PipelineState;
  zones: number;
  lastFrameAt: number | null;
  frames: number;
  corruptFrames: number;
  events: number;
  sinkErrors: number;
  /** Detector CPU per analysed frame (ms), averaged. */
  cpuMsPerFrame: number;
}

export type PipelineEnd = 'no-zones' | 'aborted' | 'feed-ended';

export class CameraPipeline {
  private state: PipelineState = 'starting';
  private zones = 0;
  private lastFrameAt: number | null = null;
  private startedAt = Date.now();
  private frames = 0;
  private corrupt = 0;
  private events = 0;
  private sinkErrors = 0;
  private cpuMs = 0;
  /** Keys of events taken over from an earlier run (their key was made from that run's start). */
  private readonly resumedKeys = new Map<StallEvent, string>();

  constructor(
    readonly cameraId: string,
    private readonly deps: PipelineDeps,
  ) {}

  health(): PipelineHealth {
    return {
      cameraId: this.cameraId,
      state: this.state,
      zones: this.zones,
      lastFrameAt: this.lastFrameAt,
      frames: this.frames,
      corruptFrames: this.corrupt,
      events: this.events,
      sinkErrors: this.sinkErrors,
      cpuMsPerFrame: this.frames ? this.cpuMs / this.frames : 0,
    };
  }

  async run(signal: AbortSignal): Promise<PipelineEnd> {
    const { deps } = this;
    const zones = await deps.loadZones(this.cameraId);
    const open = (await deps.openEvents?.(this.cameraId)) ?? [];
    if (zones.length === 0 || signal.aborted) {
      this.state = 'stopped';
      if (signal.aborted) return 'aborted';
      // Every zone is off (disabled or outside its hours): nothing will end these otherwise.
      await this.endOpen(open);
      return 'no-zones';
    }
    this.zones = zones.length;
    const detector = await StallDetector.create(zones, deps.detector);
    const saved = await deps.backgrounds?.load(this.cameraId).catch((err) => deps.log?.(`stalls ${this.cameraId}: loading the background failed`, err));
    if (saved) detector.seedBackground(saved);
    const unwatched: OpenStallEvent[] = [];
    for (const o of open) {
      const e = detector.resume({ zoneId: o.zoneId, start: o.start.getTime() / 1000, box: o.box });
      if (e) this.resumedKeys.set(e, o.key);
      else unwatched.push(o);
    }
    // Open events of zones no longer watched (switched off or outside their hours now).
    await this.endOpen(unwatched);
    const everyMs = deps.backgroundEveryMs ?? 5 * 60_000;
    // With no saved background the first quiet frame is kept at once; otherwise one period later.
    let savedAt = saved ? undefined : -Infinity;
    const feed = deps.openFrames(this.cameraId);
    let end: PipelineEnd = 'feed-ended';
    const stop = (why: PipelineEnd) => {
      end = why;
      feed.close();
    };
    const onAbort = () => stop('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    const stallAfter = deps.stallAfterMs ?? 10_000;
    this.startedAt = Date.now();
    const watchdog = setInterval(() => {
      if (this.state !== 'stopped' && Date.now() - (this.lastFrameAt ?? this.startedAt) > stallAfter) this.state = 'stalled';
    }, Math.min(1000, stallAfter / 2));
    let refreshing = false;
    const refresher = setInterval(() => {
      if (refreshing) return;
      refreshing = true;
      deps
        .loadZones(this.cameraId)
        .then(async (next) => {
          if (next.length === 0) return stop('no-zones');
          this.zones = next.length;
          await this.deliver(detector.setZones(next));
        })
        .catch((err) => deps.log?.(`stalls ${this.cameraId}: reloading zones failed`, err))
        .finally(() => (refreshing = false));
    }, deps.zonesRefreshMs ?? 10_000);
    try {
      for await (const f of feed) {
        const frame: Frame = { data: f.data, width: f.width, height: f.height, format: f.format === 'rgba' ? 'rgba' : 'rgb' };
        let ups: StallUpdate[];
        const c0 = process.cpuUsage();
        try {
          ups = detector.process(frame, f.capturedAt / 1000);
        } catch (err) {
          if (!(err instanceof FrameError)) throw err;
          this.corrupt++;
          continue;
        }
        const c = process.cpuUsage(c0);
        this.cpuMs += (c.user + c.system) / 1000;
        this.frames++;
        this.lastFrameAt = Date.now();
        this.state = 'running';
        await this.deliver(ups);
        savedAt ??= f.capturedAt;
        if (deps.backgrounds && f.capturedAt - savedAt >= everyMs) {
          const ref = detector.backgroundReference();
          if (ref) {
            savedAt = f.capturedAt;
            await deps.backgrounds.save(this.cameraId, ref).catch((err) => deps.log?.(`stalls ${this.cameraId}: saving the background failed`, err));
          }
        }
      }
      // Only zones that went away end what is open; a stop or a lost feed leaves it to the next run.
      if ((end as PipelineEnd) === 'no-zones') await this.deliver(detector.flush());
      return end;
    } finally {
      clearInterval(watchdog);
      clearInterval(refresher);
      signal.removeEventListener('abort', onAbort);
      feed.close();
      detector.dispose();
      this.state = 'stopped';
    }
  }

  private async endOpen(open: OpenStallEvent[]): Promise<void> {
    const end = new Date();
    for (const e of open) {
      try {
        await this.deps.sink.ended({ cameraId: this.cameraId, zoneId: e.zoneId, key: e.key, start: e.start, end, box: e.box });
      } catch (err) {
        this.sinkErrors++;
        this.deps.log?.(`stalls ${this.cameraId}: sink failed for ${e.key}`, err);
      }
    }
  }

  private async deliver(ups: StallUpdate[]): Promise<void> {
    for (const u of ups) {
      const e = await this.toCameraEvent(u.event, u.type === 'start');
      try {
        if (u.type === 'start') {
          this.events++;
          await this.deps.sink.started(e);
        } else {
          await this.deps.sink.ended(e);
        }
      } catch (err) {
        this.sinkErrors++;
        this.deps.log?.(`stalls ${this.cameraId}: sink failed for ${e.key}`, err);
      }
    }
  }

  private async toCameraEvent(e: StallEvent, withSnapshot: boolean): Promise<CameraStallEvent> {
    const startMs = Math.round(e.start * 1000);
    const key = this.resumedKeys.get(e) ?? `stall:${this.cameraId}:${e.zoneId}:${startMs}`;
    if (e.end !== null) this.resumedKeys.delete(e);
    return {
      cameraId: this.cameraId,
      zoneId: e.zoneId,
      key,
      start: new Date(startMs),
      end: e.end === null ? null : new Date(Math.round(e.end * 1000)),
      box: e.box,
      snapshotJpeg: withSnapshot && e.snapshotFrame ? await snapshotJpeg(e.snapshotFrame) : undefined,
    };
  }
}

export async function snapshotJpeg(frame: Frame): Promise<Buffer> {
  const channels = frame.format === 'rgba' ? 4 : frame.format === 'rgb' ? 3 : 1;
  return sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels } }).jpeg({ quality: 80 }).toBuffer();
}
