// Turns the ingest's fMP4 fragments into an in-memory LL-HLS window: each fragment (~200 ms)
// is a part, parts are grouped into ~1 s segments that start at keyframes, and requests that
// block on a future part/segment are held here until it arrives.
import type { Fragment, InitSegment } from '../ingest/ingest';

export interface HlsPart {
  msn: number;
  index: number;
  data: Buffer;
  duration: number;
  independent: boolean;
}

export interface HlsSegment {
  msn: number;
  parts: HlsPart[];
  duration: number;
  complete: boolean;
  /** Wall-clock ms of the segment's first frame (approximated by arrival of its first part). */
  programDateTime: number;
  discontinuity: boolean;
  initGeneration: number;
}

const segmentBytes = new WeakMap<HlsSegment, Buffer>();

/** A complete segment's bytes, built on first request: LL-HLS players mostly fetch parts only. */
export function segmentData(seg: HlsSegment): Buffer | null {
  if (!seg.complete) return null;
  let data = segmentBytes.get(seg);
  if (!data) {
    data = Buffer.concat(seg.parts.map((p) => p.data));
    segmentBytes.set(seg, data);
  }
  return data;
}

export interface LlHlsOptions {
  segmentTargetS: number;
  partTargetS: number;
  /** Complete segments kept (and listed) behind the live edge. */
  windowSegments: number;
}

export const DEFAULT_LL_HLS_OPTIONS: LlHlsOptions = { segmentTargetS: 1, partTargetS: 0.2, windowSegments: 8 };

export type WaitResult = 'ready' | 'timeout' | 'closed';

interface Waiter {
  ready: () => boolean;
  resolve: (r: WaitResult) => void;
  timer: NodeJS.Timeout;
}

export class LlHlsPackager {
  readonly opts: LlHlsOptions;
  readonly segments: HlsSegment[] = [];
  readonly inits = new Map<number, Buffer>();
  discontinuitySequence = 0;
  /** Only grows: players must never see it shrink. */
  targetDuration: number;
  /**
   * PART-TARGET as advertised: the configured one, raised to the longest part seen (ffmpeg cuts a
   * fragment at the first frame past the target, e.g. 120 ms parts for 100 ms at 25 fps).
   */
  partTarget: number;

  private currentGeneration = -1;
  private pendingDiscontinuity = false;
  private nextMsn = 0;
  private waiters = new Set<Waiter>();
  private closed = false;

  constructor(opts: Partial<LlHlsOptions> = {}) {
    this.opts = { ...DEFAULT_LL_HLS_OPTIONS, ...opts };
    this.targetDuration = Math.max(1, Math.ceil(this.opts.segmentTargetS));
    this.partTarget = this.opts.partTargetS;
  }

  get latestInitGeneration(): number {
    return this.currentGeneration;
  }

  get open(): HlsSegment | undefined {
    const last = this.segments.at(-1);
    return last && !last.complete ? last : undefined;
  }

  get lastMsn(): number {
    return this.segments.at(-1)?.msn ?? -1;
  }

  setInit(init: InitSegment): void {
    if (init.generation === this.currentGeneration) return;
    if (this.currentGeneration !== -1) {
      this.completeOpen();
      this.pendingDiscontinuity = true;
    }
    this.currentGeneration = init.generation;
    this.inits.set(init.generation, init.data);
  }

  addFragment(fragment: Fragment): void {
    if (this.closed || this.currentGeneration === -1) return;
    let seg = this.open;
    if (seg && fragment.info.independent && seg.duration >= this.opts.segmentTargetS - this.opts.partTargetS / 2) {
      this.completeOpen();
      seg = undefined;
    }
    if (!seg) {
      // A segment must start with a keyframe: drop the tail of a GOP after a (re)start.
      if (!fragment.info.independent) return;
      seg = {
        msn: this.nextMsn++,
        parts: [],
        duration: 0,
        complete: false,
        programDateTime: fragment.receivedAt - fragment.duration * 1000,
        discontinuity: this.pendingDiscontinuity,
        initGeneration: this.currentGeneration,
      };
      this.pendingDiscontinuity = false;
      this.segments.push(seg);
    }
    seg.parts.push({
      msn: seg.msn,
      index: seg.parts.length,
      data: fragment.data,
      duration: fragment.duration,
      independent: fragment.info.independent,
    });
    seg.duration += fragment.duration;
    this.partTarget = Math.max(this.partTarget, Math.ceil(fragment.duration * 1000 - 0.5) / 1000);
    this.wake();
  }

  getSegment(msn: number): HlsSegment | undefined {
    const first = this.segments[0];
    if (!first) return undefined;
    return this.segments[msn - first.msn];
  }

  getPart(msn: number, index: number): HlsPart | undefined {
    return this.getSegment(msn)?.parts[index];
  }

  /** The part a player may ask for before it exists (EXT-X-PRELOAD-HINT). */
  nextPartAddress(): { msn: number; index: number } {
    const open = this.open;
    return open ? { msn: open.msn, index: open.parts.length } : { msn: this.nextMsn, index: 0 };
  }

  /** Blocking playlist reload: has the playlist reached segment msn (part `part` of it, if given)? */
  hasReached(msn: number, part?: number): boolean {
    const last = this.segments.at(-1);
    if (!last) return false;
    if (last.msn > msn) return true;
    if (last.msn < msn) return false;
    return part === undefined ? last.complete : last.parts.length > part;
  }

  /** Requests further ahead than this are client bugs (Apple: more than two segments ahead → 400). */
  isTooFarAhead(msn: number): boolean {
    return msn > this.nextMsn + 1;
  }

  waitFor(ready: () => boolean, timeoutMs: number): Promise<WaitResult> {
    if (this.closed) return Promise.resolve('closed');
    if (ready()) return Promise.resolve('ready');
    return new Promise((resolve) => {
      const waiter: Waiter = {
        ready,
        resolve,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          resolve('timeout');
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** Ends every held request; the stream stopped. */
  close(): void {
    this.closed = true;
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.resolve('closed');
    }
    this.waiters.clear();
  }

  private completeOpen(): void {
    const seg = this.open;
    if (!seg) return;
    seg.complete = true;
    this.targetDuration = Math.max(this.targetDuration, Math.round(seg.duration));
    const completes = this.segments.filter((s) => s.complete).length;
    for (let excess = completes - this.opts.windowSegments; excess > 0; excess--) {
      const dropped = this.segments.shift()!;
      if (dropped.discontinuity) this.discontinuitySequence += 1;
      const stillUsed = dropped.initGeneration === this.currentGeneration || this.segments.some((s) => s.initGeneration === dropped.initGeneration);
      if (!stillUsed) this.inits.delete(dropped.initGeneration);
    }
    this.wake();
  }

  /** Re-checks held requests after something outside the window changed (e.g. the ingest failed). */
  wake(): void {
    for (const w of this.waiters) {
      if (!w.ready()) continue;
      clearTimeout(w.timer);
      this.waiters.delete(w);
      w.resolve('ready');
    }
  }
}
