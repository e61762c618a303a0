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
}

interface Active {
  event: StallEvent;
  lastSeen: number;
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

  update(t: number, blobs: ZoneBlob[], snapshot: () => Frame | undefined): StallUpdate[] {
    const out: StallUpdate[] = [];
    const claimed = new Set<ZoneBlob>();
    for (const a of this.active) {
      let best: ZoneBlob | undefined;
      for (const b of blobs) {
        if (overlapRatio(a.event.box, b.box) < 0.3) continue;
        claimed.add(b);
        if (b.still >= this.opt.keepStill && (!best || b.dwell > best.dwell)) best = b;
      }
      if (best) {
        a.lastSeen = t;
        // Only a blob that itself has stood for the dwell may reshape the box: a passer-by merged
        // into the stall for a frame must not stretch it.
        if (best.dwell >= this.dwellSec) a.event.box = best.box;
      }
    }
    for (const b of blobs) {
      if (claimed.has(b) || b.dwell < this.dwellSec || b.still < this.opt.minStill) continue;
      if (this.recent.some((e) => overlapRatio(e.box, b.box) >= 0.3)) continue;
      const event: StallEvent = { id: `${this.zoneId}#${++this.seq}`, zoneId: this.zoneId, start: t, end: null, box: b.box, snapshotFrame: snapshot() };
      this.active.push({ event, lastSeen: t });
      claimed.add(b);
      out.push({ type: 'start', event });
    }
    this.active = this.active.filter((a) => {
      if (t - a.lastSeen <= this.opt.graceSec) return true;
      a.event.end = a.lastSeen;
      out.push({ type: 'end', event: a.event });
      this.recent.push(a.event);
      return false;
    });
    this.recent = this.recent.filter((e) => t - (e.end as number) < this.opt.cooldownSec);
    return out;
  }

  /** Ends every running event (end of a file, pipeline stopped). */
  flush(): StallUpdate[] {
    const out = this.active.map((a): StallUpdate => {
      a.event.end = a.lastSeen;
      return { type: 'end', event: a.event };
    });
    this.active = [];
    return out;
  }
}
