// Continuous mode at a barrier: frames arrive a few times a second, the same car stands still for
// seconds, and each vehicle must be decided once — not once per frame, and not never (a stopped car
// still has to be read). Readings vote per plate (by confusion key, so 8/B flicker counts as one
// vehicle); a plate is confirmed once it has `minVotes` readings within `windowMs`, and is not
// confirmed again until it has been out of sight for `forgetMs`.
import { confusionKey } from './grammar';
import type { PlateReading } from './reader';

export interface Arrival {
  plate: string;
  type: PlateReading['type'];
  confidence: number;
  /** The best reading of the vote, for its box and per-character confidences. */
  reading: PlateReading;
  firstSeenMs: number;
  confirmedMs: number;
}

interface Track {
  votes: { atMs: number; reading: PlateReading }[];
  lastSeenMs: number;
  confirmed: boolean;
}

export interface TrackerOptions {
  minVotes?: number;
  windowMs?: number;
  forgetMs?: number;
  /** Readings below this do not vote (default 0.5; the gate rules apply their own line). */
  minConfidence?: number;
}

export class PlateTracker {
  private readonly tracks = new Map<string, Track>();
  private readonly minVotes: number;
  private readonly windowMs: number;
  private readonly forgetMs: number;
  private readonly minConfidence: number;

  constructor(opts: TrackerOptions = {}) {
    this.minVotes = opts.minVotes ?? 2;
    this.windowMs = opts.windowMs ?? 4000;
    this.forgetMs = opts.forgetMs ?? 8000;
    this.minConfidence = opts.minConfidence ?? 0.5;
  }

  /** Feeds one frame's readings; returns the vehicles confirmed by this frame. */
  observe(readings: readonly PlateReading[], atMs: number): Arrival[] {
    for (const [key, track] of this.tracks) if (atMs - track.lastSeenMs > this.forgetMs) this.tracks.delete(key);
    const arrivals: Arrival[] = [];
    for (const reading of readings) {
      if (reading.confidence < this.minConfidence) continue;
      const key = confusionKey(reading.text);
      const track = this.tracks.get(key) ?? { votes: [], lastSeenMs: atMs, confirmed: false };
      this.tracks.set(key, track);
      track.lastSeenMs = atMs;
      if (track.confirmed) continue;
      track.votes = [...track.votes.filter((v) => atMs - v.atMs <= this.windowMs), { atMs, reading }];
      if (track.votes.length < this.minVotes) continue;
      track.confirmed = true;
      // The text most votes agree on wins; ties go to the higher total confidence.
      const tally = new Map<string, { n: number; conf: number; best: PlateReading }>();
      for (const { reading: r } of track.votes) {
        const t = tally.get(r.text) ?? { n: 0, conf: 0, best: r };
        t.n++;
        t.conf += r.confidence;
        if (r.confidence > t.best.confidence) t.best = r;
        tally.set(r.text, t);
      }
      const [plate, win] = [...tally.entries()].sort((a, b) => b[1].n - a[1].n || b[1].conf - a[1].conf)[0];
      arrivals.push({ plate, type: win.best.type, confidence: win.conf / win.n, reading: win.best, firstSeenMs: track.votes[0].atMs, confirmedMs: atMs });
    }
    return arrivals;
  }
}
