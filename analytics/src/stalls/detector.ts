// StallDetector: frames in (2–5 fps), stall events out. One instance per camera; call dispose()
// when the pipeline stops (it owns OpenCV memory).
//
// Per frame: dual-rate background → cleaned long-term foreground → per-pixel "time present"
// (grows while a pixel is foreground, drains fast when it is not, so a crowd streaming past never
// builds up) → blobs of pixels present for a few seconds → per-zone trackers with dwell and grace.
// A vendor who walks away leaves the goods' pixels foreground, so the stall stays.
import { DualBackground, DEFAULT_BACKGROUND, type BackgroundOptions } from './background';
import { MaskOps, type Blob } from './blobs';
import { loadCv, type CV } from './cv';
import { FrameError } from './errors';
import { isGhost } from './ghost';
import { rasterizePolygon, validateZone } from './polygon';
import { FramePrep, checkFrame, workSize } from './prep';
import type { BackgroundRef, Box, Frame, StallEvent, StallUpdate, ZoneSpec } from './types';
import { ZoneTracker, type ResumedEvent, type ZoneBlob } from './zone-tracker';

export interface DetectorOptions {
  /** Width of the analysis image; the input is area-resized to it. */
  workWidth: number;
  /** An event ends after this long with nothing in its box. */
  graceSec: number;
  /** Seconds of presence before pixels form a blob at all (passers-by stay below it). */
  persistSec: number;
  /**
   * Absence drains presence fast: per second of absence it shrinks by this factor and loses
   * `drainRate` seconds more, so a stall that stood for an hour is gone within ~2 s of leaving
   * while a one-frame dropout only dents it.
   */
  drainFactor: number;
  drainRate: number;
  /**
   * A pixel present for at least `holdAfterSec` keeps its time through absences up to `holdSec`:
   * someone in clothes the colour of the pavement walking across a stall hides it for a frame or
   * two without restarting its clock. Crowd pixels never reach `holdAfterSec` and get no hold.
   */
  holdSec: number;
  holdAfterSec: number;
  /** Smallest blob, as a share of the frame. */
  minAreaFraction: number;
  /** Share of a blob that must lie in a zone for the blob to count there. */
  minZoneOverlap: number;
  /** Share of a blob's pixels that must be still when an event starts / to keep it running. */
  minStill: number;
  keepStill: number;
  /** No new event over the place of one that ended less than this long ago. */
  cooldownSec: number;
  background: BackgroundOptions;
}

export const DEFAULT_DETECTOR: DetectorOptions = {
  workWidth: 320,
  graceSec: 5,
  persistSec: 2,
  drainFactor: 0.4,
  drainRate: 4,
  holdSec: 2,
  holdAfterSec: 4,
  minAreaFraction: 0.0015,
  minZoneOverlap: 0.5,
  minStill: 0.5,
  keepStill: 0.3,
  cooldownSec: 30,
  background: DEFAULT_BACKGROUND,
};

const GHOST_MIN_PIXELS = 12;

interface ZoneState {
  spec: ZoneSpec;
  mask: Uint8Array | undefined;
  tracker: ZoneTracker;
}

export class StallDetector {
  private readonly opt: DetectorOptions;
  private zones: ZoneState[];
  private prep: FramePrep | undefined;
  private masks: MaskOps | undefined;
  private bg: DualBackground | undefined;
  private acc = new Float32Array(0);
  private absent = new Float32Array(0);
  private persistent = new Uint8Array(0);
  private w = 0;
  private h = 0;
  private lastT: number | undefined;
  private disposed = false;
  private seed: BackgroundRef | undefined;
  /** Last frame had no running event and no blob in any zone: its background may be kept. */
  private quiet = false;

  private constructor(
    private readonly cv: CV,
    zones: ZoneSpec[],
    opt: Partial<DetectorOptions>,
  ) {
    this.opt = { ...DEFAULT_DETECTOR, ...opt, background: { ...DEFAULT_BACKGROUND, ...opt.background } };
    this.zones = this.makeZones(zones);
  }

  /** Validates the zones (ZoneError on bad input) and loads OpenCV. */
  static async create(zones: ZoneSpec[], opt: Partial<DetectorOptions> = {}): Promise<StallDetector> {
    for (const z of zones) validateZone(z);
    return new StallDetector(await loadCv(), zones, opt);
  }

  /** Replaces the zones; running events of removed or changed zones end now. */
  setZones(zones: ZoneSpec[]): StallUpdate[] {
    for (const z of zones) validateZone(z);
    const ended: StallUpdate[] = [];
    const keep = new Map(this.zones.map((z) => [z.spec.id, z]));
    const next = zones.map((spec) => {
      const old = keep.get(spec.id);
      if (old && JSON.stringify(old.spec) === JSON.stringify(spec)) return old;
      if (old) ended.push(...old.tracker.flush());
      return this.makeZone(spec);
    });
    for (const z of this.zones) if (!zones.some((s) => s.id === z.spec.id)) ended.push(...z.tracker.flush());
    this.zones = next;
    return ended;
  }

  get runningEvents() {
    return this.zones.flatMap((z) => z.tracker.running);
  }

  /**
   * Starts from a background saved by an earlier run (`backgroundReference`) instead of learning
   * one from the first frames, which would take in whatever stands there now. Call before the
   * first frame; a reference of another size (camera reconfigured) is ignored.
   */
  seedBackground(ref: BackgroundRef): void {
    this.seed = ref;
  }

  /**
   * Takes over an open event of an earlier run of the same camera: it reports no new `start`,
   * continues while its spot shows something, and ends normally (also when nothing shows there
   * within the grace once frames flow). Undefined when this detector does not watch its zone —
   * the caller ends it.
   */
  resume(event: ResumedEvent): StallEvent | undefined {
    return this.zones.find((z) => z.spec.id === event.zoneId)?.tracker.resume(event);
  }

  /**
   * The long-term background worth keeping: only after a frame with no running event and nothing
   * building up in any zone, so a stall can never be saved as "empty street".
   */
  backgroundReference(): BackgroundRef | undefined {
    const rgb = this.quiet ? this.bg?.reference() : undefined;
    return rgb && { width: this.w, height: this.h, rgb };
  }

  /**
   * Analyses one frame taken at time `t` (seconds, increasing). Throws FrameError for a frame
   * that cannot be used (wrong size, corrupt buffer, time going backwards); state is unchanged.
   */
  process(frame: Frame, t: number): StallUpdate[] {
    if (this.disposed) throw new Error('detector disposed');
    checkFrame(frame);
    if (!Number.isFinite(t) || (this.lastT !== undefined && t <= this.lastT)) throw new FrameError(`frame time ${t} is not after ${this.lastT}`);
    this.ensureSize(frame);
    // A long gap (camera stalled) must not count as presence: cap the step.
    const dt = this.lastT === undefined ? 0 : Math.min(t - this.lastT, 2);
    this.lastT = t;
    const rgb = (this.prep as FramePrep).run(frame);
    const bg = this.bg as DualBackground;
    const res = bg.update(rgb, dt, this.persistent);
    if (!res.ready) return [];
    const { acc, persistent, opt } = this;
    if (res.relearned) {
      acc.fill(0);
      this.absent.fill(0);
    }
    const masks = this.masks as MaskOps;
    const fg = res.long;
    masks.clean(fg);
    const drain = dt * opt.drainRate;
    const keep = Math.pow(opt.drainFactor, dt);
    const absent = this.absent;
    for (let i = 0; i < acc.length; i++) {
      if (fg[i]) {
        // A pixel's first foreground frame starts its clock at zero rather than at one frame step.
        acc[i] = acc[i] > 0 ? acc[i] + dt : 1e-3;
        absent[i] = 0;
      } else {
        absent[i] += dt;
        if (acc[i] < opt.holdAfterSec || absent[i] > opt.holdSec) acc[i] = Math.max(0, acc[i] * keep - drain);
      }
      persistent[i] = acc[i] >= opt.persistSec ? 1 : 0;
    }
    const minArea = Math.max(4, Math.round(opt.minAreaFraction * this.w * this.h));
    // Ghosts are looked for in every fragment, also those too small to report: a fragment left
    // alone would join the next passer-by into a blob that looks like a stall.
    const blobs = this.dropGhosts(masks.blobs(persistent, acc, fg, res.short, GHOST_MIN_PIXELS), rgb, fg, res.short).filter((b) => b.area >= minArea);
    let snap: Frame | undefined;
    const snapshot = () => (snap ??= { ...frame, data: Uint8Array.from(frame.data) });
    const out: StallUpdate[] = [];
    let inZones = 0;
    for (const z of this.zones) {
      const zb = this.blobsInZone(blobs, z);
      inZones += zb.length;
      out.push(...z.tracker.update(t, zb, snapshot));
    }
    this.quiet = inZones === 0 && this.runningEvents.length === 0;
    return out;
  }

  private get minDwell(): number {
    return Math.min(...this.zones.map((z) => z.spec.dwellSec));
  }

  /** Ends all running events (end of input). */
  flush(): StallUpdate[] {
    return this.zones.flatMap((z) => z.tracker.flush());
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.prep?.dispose();
    this.masks?.dispose();
  }

  private ensureSize(frame: Frame): void {
    const size = workSize(frame.width, frame.height, this.opt.workWidth);
    if (size.width === this.w && size.height === this.h) return;
    // A new resolution (camera reconfigured) invalidates the whole model.
    this.prep?.dispose();
    this.masks?.dispose();
    this.w = size.width;
    this.h = size.height;
    this.prep = new FramePrep(this.cv, this.w, this.h);
    this.masks = new MaskOps(this.cv, this.w, this.h);
    this.bg = new DualBackground(this.w * this.h, this.opt.background);
    if (this.seed?.width === this.w && this.seed.height === this.h) this.bg.seedFrom(this.seed.rgb);
    this.seed = undefined;
    this.quiet = false;
    this.acc = new Float32Array(this.w * this.h);
    this.absent = new Float32Array(this.w * this.h);
    this.persistent = new Uint8Array(this.w * this.h);
    for (const z of this.zones) z.mask = rasterizePolygon(z.spec.polygon, this.w, this.h);
  }

  private dropGhosts(blobs: Blob[], rgb: Uint8Array, fg: Uint8Array, moving: Uint8Array): Blob[] {
    const bg = this.bg as DualBackground;
    const cur = (i: number) => rgb[i * 3] + rgb[i * 3 + 1] + rgb[i * 3 + 2];
    const back = (i: number) => bg.backgroundAt(i, 0) + bg.backgroundAt(i, 1) + bg.backgroundAt(i, 2);
    return blobs.filter((b) => {
      // Tested until the blob could start an event; a standing stall is never re-tested (and so
      // never absorbed) once it has qualified.
      if (b.dwell >= this.minDwell || b.still < 0.6 || !isGhost(b.pixels, fg, moving, cur, back, this.w, this.h)) return true;
      // Learn only what is still: a passer-by crossing the ghost must not be burnt into the
      // background. The rest restarts its clock and is tested again as a young blob.
      bg.absorb(rgb, b.pixels.filter((i) => !moving[i]));
      for (let j = 0; j < b.pixels.length; j++) this.acc[b.pixels[j]] = 0;
      return false;
    });
  }

  private blobsInZone(blobs: Blob[], z: ZoneState): ZoneBlob[] {
    const mask = z.mask as Uint8Array;
    const out: ZoneBlob[] = [];
    for (const b of blobs) {
      let inside = 0;
      for (let j = 0; j < b.pixels.length; j++) inside += mask[b.pixels[j]];
      if (inside < this.opt.minZoneOverlap * b.pixels.length) continue;
      const box: Box = [b.x / this.w, b.y / this.h, b.w / this.w, b.h / this.h];
      out.push({ box, dwell: b.dwell, still: b.still });
    }
    return out;
  }

  private makeZones(zones: ZoneSpec[]): ZoneState[] {
    return zones.map((spec) => this.makeZone(spec));
  }

  private makeZone(spec: ZoneSpec): ZoneState {
    const tracker = new ZoneTracker(spec.id, spec.dwellSec, {
      graceSec: spec.graceSec ?? this.opt.graceSec,
      minStill: this.opt.minStill,
      keepStill: this.opt.keepStill,
      cooldownSec: this.opt.cooldownSec,
      // Pixels need persistSec of presence before they form a blob that can keep a resumed event.
      resumeSec: this.opt.persistSec + 1,
    });
    return { spec: { ...spec, polygon: spec.polygon.map((p) => [p[0], p[1]]) }, mask: this.w ? rasterizePolygon(spec.polygon, this.w, this.h) : undefined, tracker };
  }
}
