// Continuous mode at a barrier: frames arrive a few times a second, the same car stands still for
// seconds, and each vehicle must be decided once — not once per frame, and not never (a stopped car
// still has to be read). Readings vote per plate; a plate is confirmed once it has `minVotes`
// readings within `windowMs`, and is not confirmed again until it has been out of sight for
// `forgetMs`. A track is the plate after its province character, by confusion key: the province is
// the character the reader is least sure of (a complex glyph at a few pixels: 皖/赣, 渝/湘 flicker
// from frame to frame), and 8/B flicker is the same vehicle too. The winning text takes the serial
// most votes agree on and, separately, the province most votes (then most confidence) agree on.
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
      const key = serialKey(reading.text);
      const track = this.tracks.get(key) ?? { votes: [], lastSeenMs: atMs, confirmed: false };
      this.tracks.set(key, track);
      track.lastSeenMs = atMs;
      if (track.confirmed) continue;
      track.votes = [...track.votes.filter((v) => atMs - v.atMs <= this.windowMs), { atMs, reading }];
      if (track.votes.length < this.minVotes) continue;
      track.confirmed = true;
      const readings = track.votes.map((v) => v.reading);
      const serial = majority(readings, (r) => [...r.text].slice(1).join(''));
      const ofSerial = readings.filter((r) => [...r.text].slice(1).join('') === serial.value);
      const province = majority(ofSerial, (r) => [...r.text][0]);
      const plate = province.value + serial.value;
      // The reading shown (box, per-character confidences) is the best one of the winning text, or
      // of the winning serial when no single frame read the whole winning text.
      const exact = ofSerial.filter((r) => r.text === plate);
      const best = (exact.length ? exact : ofSerial).reduce((a, b) => (b.confidence > a.confidence ? b : a));
      arrivals.push({ plate, type: best.type, confidence: province.confidence, reading: best, firstSeenMs: track.votes[0].atMs, confirmedMs: atMs });
    }
    return arrivals;
  }
}

/** The track of a reading: everything after the province character, by confusion key. */
const serialKey = (text: string) => confusionKey(text).slice(1);

/**
 * The value most readings agree on (ties: the higher total confidence), and the mean confidence of
 * the readings that gave it — the confidence of a plate whose province flickered stays low.
 */
function majority(readings: readonly PlateReading[], valueOf: (r: PlateReading) => string): { value: string; confidence: number } {
  const tally = new Map<string, { n: number; conf: number }>();
  for (const r of readings) {
    const t = tally.get(valueOf(r)) ?? { n: 0, conf: 0 };
    t.n++;
    t.conf += r.confidence;
    tally.set(valueOf(r), t);
  }
  const [value, win] = [...tally.entries()].sort((a, b) => b[1].n - a[1].n || b[1].conf - a[1].conf)[0];
  return { value, confidence: (win.conf / win.n) * (win.n / readings.length) };
}
