// Per-zone event state: an event starts when a still blob inside the zone has been there for the
// zone's dwell, lives while anything persistent overlaps its box, and ends after a grace period
// with nothing there. One event per stall: flicker shorter than the grace never splits an event,
// and a blob overlapping a running event never starts a second one.
import type { Box, Frame, StallEvent, StallUpdate } from './types';

/** What the tracker needs to know about a blob, in normalised coordinates. */
export interface ZoneBlob {
  box: Box;
  dwell: number;
  still: number;
}

export interface TrackerOptions {
  graceSec: number;
  /** Share of a blob's foreground pixels that must be still for an event to start. */
  minStill: number;
  /**
   * Share that must be still for a blob to keep a running event alive. Lower than `minStill`
   * (passers-by over a stall make most of it "changing"), but not zero: when goods are taken
   * away in a dense crowd, the spot stays different from the background only through people
   * streaming over it, and that must not hold the event open.
   */
  keepStill: number;
  /**
   * No new event starts over the box of an event that ended less than this long ago: a spot that
   * keeps flickering between "stall" and "clear" (a crowd over the place where goods were) gives
   * one event, not a storm.
   */
  cooldownSec: number;
  /**
   * A resumed event (carried over from a pipeline that stopped) gets at least this long after the
   * first frame to show again: its pixels need the detector's presence time before they form a
   * blob at all, and a grace shorter than that would end a stall that is plainly still there.
   */
  resumeSec?: number;
}

/** An open event from an earlier pipeline of the same camera (its key and incident live on). */
export interface ResumedEvent {
  zoneId: string;
  /** Seconds on the detector's clock (epoch seconds for live cameras). */
  start: number;
  box: Box;
}

interface Active {
  event: StallEvent;
  /** Undefined for a resumed event until the first frame after the restart. */
  lastSeen: number | undefined;
  /** Grace for this event; a resumed event's is longer until it is seen again. */
  grace: number;
}

export function overlapRatio(a: Box, b: Box): number {
  const ix = Math.max(0, Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]));
  const iy = Math.max(0, Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]));
  const inter = ix * iy;
  const smaller = Math.min(a[2] * a[3], b[2] * b[3]);
  return smaller > 0 ? inter / smaller : 0;
}

export class ZoneTracker {
  private active: Active[] = [];
  private recent: StallEvent[] = [];
  private seq = 0;

  constructor(
    readonly zoneId: string,
    readonly dwellSec: number,
    private readonly opt: TrackerOptions,
  ) {}

  get running(): readonly StallEvent[] {
    return this.active.map((a) => a.event);
  }

  /**
   * Carries an open event over from a stopped pipeline: no `start` is reported (it was, by the
   * pipeline that stopped), blobs over its box keep it alive, and it ends like any other event —
   * including when nothing shows there within the grace after the first frame.
   */
  resume(e: ResumedEvent): StallEvent {
    const event: StallEvent = { id: `${this.zoneId}#${++this.seq}`, zoneId: this.zoneId, start: e.start, end: null, box: [...e.box] };
    this.active.push({ event, lastSeen: undefined, grace: Math.max(this.opt.graceSec, this.opt.resumeSec ?? 0) });
    return event;
  }

  update(t: number, blobs: ZoneBlob[], snapshot: () => Frame | undefined): StallUpdate[] {
    const out: StallUpdate[] = [];
    const claimed = new Set<ZoneBlob>();
    for (const a of this.active) {
      a.lastSeen ??= t;
      let best: ZoneBlob | undefined;
      for (const b of blobs) {
        if (overlapRatio(a.event.box, b.box) < 0.3) continue;
        claimed.add(b);
        if (b.still >= this.opt.keepStill && (!best || b.dwell > best.dwell)) best = b;
      }
      if (best) {
        a.lastSeen = t;
        a.grace = this.opt.graceSec;
        // Only a blob that itself has stood for the dwell may reshape the box: a passer-by merged
        // into the stall for a frame must not stretch it.
        if (best.dwell >= this.dwellSec) a.event.box = best.box;
      }
    }
    for (const b of blobs) {
      if (claimed.has(b) || b.dwell < this.dwellSec || b.still < this.opt.minStill) continue;
      if (this.recent.some((e) => overlapRatio(e.box, b.box) >= 0.3)) continue;
      const event: StallEvent = { id: `${this.zoneId}#${++this.seq}`, zoneId: this.zoneId, start: t, end: null, box: b.box, snapshotFrame: snapshot() };
      this.active.push({ event, lastSeen: t, grace: this.opt.graceSec });
      claimed.add(b);
      out.push({ type: 'start', event });
    }
    this.active = this.active.filter((a) => {
      const lastSeen = a.lastSeen as number;
      if (t - lastSeen <= a.grace) return true;
      a.event.end = lastSeen;
      out.push({ type: 'end', event: a.event });
      this.recent.push(a.event);
      return false;
    });
    this.recent = this.recent.filter((e) => t - (e.end as number) < this.opt.cooldownSec);
    return out;
  }

  /** Ends every running event (end of a file, zone removed). */
  flush(): StallUpdate[] {
    const out = this.active.map((a): StallUpdate => {
      // A resumed event ended before any frame was looked at: its start is the only time known.
      a.event.end = a.lastSeen ?? a.event.start;
      return { type: 'end', event: a.event };
    });
    this.active = [];
    return out;
  }
}
