// Continuous mode for one gate: keyframes of the gate camera's main stream (one a second from the
// single ingest, see gates-frames.ts) → plate reader → GateArrivals (each vehicle decided once,
// a car standing at the barrier still read) → the same decision path as a device's check, with
// the frame that gave the winning reading stored as the decision image and its box for the crop.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { parsePlate, PlateImageError, type Arrival, type PlateReading } from '../../../analytics/src/plates';
import { decideAtGate } from '../gates/check';
import { gateLocalProvince } from '../gates/store';
import { GateArrivals } from './gates-arrivals';
import { gateStreamId, nextKeyframe } from './gates-frames';

export interface GatePipelineStats {
  gateId: string;
  cameraId: string;
  state: 'starting' | 'running' | 'no-picture' | 'error' | 'stopped';
  frames: number;
  arrivals: number;
  lastFrameAt: string | null;
  /** Mean plate-reading time per frame (exponential average), ms. */
  readMs: number | null;
  lastError: string | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Without a picture for this long the pipeline reports `no-picture` (the ingest keeps retrying). */
const NO_PICTURE_MS = 15_000;
/** A site's local province is re-read this often, so an admin's change reaches a running gate. */
const PROVINCE_REFRESH_MS = 30_000;

export class GatePipeline {
  readonly stats: GatePipelineStats;
  private stopped = false;
  private done: Promise<void> = Promise.resolve();

  constructor(
    private readonly app: FastifyInstance,
    readonly gateId: string,
    readonly cameraId: string,
    private readonly log: FastifyBaseLogger,
  ) {
    this.stats = { gateId, cameraId, state: 'starting', frames: 0, arrivals: 0, lastFrameAt: null, readMs: null, lastError: null };
  }

  start(): void {
    this.done = this.run().catch((err) => {
      this.stats.state = 'error';
      this.stats.lastError = (err as Error).message;
      this.log.error({ err, gateId: this.gateId }, 'gate pipeline ended');
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
    this.stats.state = 'stopped';
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.follow();
      } catch (err) {
        this.stats.state = 'error';
        this.stats.lastError = (err as Error).message;
        this.log.warn({ err, gateId: this.gateId }, 'gate pipeline error; retrying in 5 s');
        await sleep(5000);
      }
    }
  }

  /** Holds the camera's stream while it reads keyframes; returns only when stopped or on error. */
  private async follow(): Promise<void> {
    const streamId = await gateStreamId(this.app, this.cameraId);
    const reason = `gate:${this.gateId}`;
    const stream = this.app.media.acquire(streamId, undefined, reason);
    try {
      const reader = await this.app.plateReader();
      const arrivals = new GateArrivals();
      // The winning reading's own frame becomes the decision image (its box is in that frame).
      const frameOf = new WeakMap<PlateReading, Buffer>();
      let last = 0;
      let localProvince: string | undefined;
      let provinceAt = -Infinity;
      while (!this.stopped) {
        let snap;
        try {
          snap = await nextKeyframe(stream, last, NO_PICTURE_MS, () => this.stopped);
        } catch (err) {
          if (this.stopped) break;
          this.stats.state = 'no-picture';
          this.stats.lastError = (err as Error).message;
          continue;
        }
        last = snap.takenAt;
        if (snap.takenAt - provinceAt > PROVINCE_REFRESH_MS) {
          localProvince = await gateLocalProvince(this.app.db, this.gateId);
          provinceAt = snap.takenAt;
        }
        const started = performance.now();
        let readings: PlateReading[];
        try {
          readings = await reader.readFrame(snap.jpeg, { localProvince });
        } catch (err) {
          // A keyframe that does not decode (a camera glitch) costs that frame, not the pipeline.
          if (!(err instanceof PlateImageError)) throw err;
          this.stats.lastError = `unreadable keyframe: ${err.message}`;
          continue;
        }
        const ms = performance.now() - started;
        this.stats.readMs = this.stats.readMs === null ? ms : this.stats.readMs * 0.9 + ms * 0.1;
        this.stats.frames++;
        this.stats.lastFrameAt = new Date(snap.takenAt).toISOString();
        this.stats.state = 'running';
        for (const r of readings) frameOf.set(r, snap.jpeg);
        for (const arrival of arrivals.observe(readings, snap.takenAt)) await this.decide(arrival, frameOf.get(arrival.reading) ?? snap.jpeg);
      }
    } finally {
      this.app.media.release(streamId, reason);
    }
  }

  private async decide(a: Arrival, jpeg: Buffer): Promise<void> {
    const parsed = parsePlate(a.plate);
    const read = {
      plate: parsed?.text ?? null,
      plateType: a.type,
      confidence: a.confidence,
      image: jpeg,
      source: 'camera' as const,
      details: {
        box: a.reading.box,
        readings: [{ text: a.reading.text, type: a.reading.type, confidence: a.reading.confidence, box: a.reading.box }],
        firstSeenAt: new Date(a.firstSeenMs).toISOString(),
        confirmedAt: new Date(a.confirmedMs).toISOString(),
      },
    };
    // A vehicle is confirmed once: a database hiccup gets a few retries rather than losing it.
    for (let attempt = 1; ; attempt++) {
      try {
        await decideAtGate(this.app, { gateId: this.gateId, deviceId: null, idempotencyKey: null, read, log: this.log });
        this.stats.arrivals++;
        return;
      } catch (err) {
        if (attempt >= 3 || this.stopped) {
          this.stats.lastError = `decision for ${a.plate} not stored: ${(err as Error).message}`;
          this.log.error({ err, gateId: this.gateId, plate: a.plate }, 'gate decision not stored');
          return;
        }
        await sleep(1000 * attempt);
      }
    }
  }
}
