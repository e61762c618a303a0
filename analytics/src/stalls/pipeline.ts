// One camera's stall analysis: frames from the media node's shared decoder → detector → sink.
// Lives as long as its run() (a BullMQ job in production); health() is read at any time.
// A camera that stops sending frames shows as `stalled` and recovers when frames return; a
// corrupt frame is counted and skipped; a failing sink is counted, never fatal.
import sharp from 'sharp';
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

export interface StallSink {
  started(e: CameraStallEvent): Promise<void>;
  ended(e: CameraStallEvent): Promise<void>;
}

export interface PipelineDeps {
  openFrames(cameraId: string): FrameFeed;
  /** The camera's enabled zones that are active now; empty stops the pipeline. */
  loadZones(cameraId: string): Promise<ZoneSpec[]>;
  sink: StallSink;
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
    if (zones.length === 0 || signal.aborted) {
      this.state = 'stopped';
      return signal.aborted ? 'aborted' : 'no-zones';
    }
    this.zones = zones.length;
    const detector = await StallDetector.create(zones, deps.detector);
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
      }
      await this.deliver(detector.flush());
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
    return {
      cameraId: this.cameraId,
      zoneId: e.zoneId,
      key: `stall:${this.cameraId}:${e.zoneId}:${startMs}`,
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
