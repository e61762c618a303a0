// Continuous mode at a barrier: frames arrive a few times a second, the same car stands still for
// seconds, and each vehicle must be decided once — not once per frame, and not never (a stopped car
// still has to be read). Readings vote per plate; a plate is confirmed once it has `minVotes`
// readings within `windowMs`, and is not confirmed again until it has been out of sight for
// `forgetMs`. A track is the plate after its province character, by confusion key: the province is
// the character the reader is least sure of (a complex glyph at a few pixels: 皖/赣, 渝/湘 flicker
// from frame to frame), and 8/B flicker is the same vehicle too. The winning text takes the serial
// most votes agree on and, separately, the province most votes (then most confidence) agree on.
// Its confidence is the best reading of that text times the share of votes that agree on the
// province. The first votes often come while the car is still rolling in; a plate that is not yet
// sure waits up to `patienceMs` for a clearer frame before it is decided (to a person), because a
// resident who waits two more seconds at the barrier waits less than one who waits for a review.
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

/** Sightings (clear serial, any province) that stand in for one vote. */
const SIGHTINGS_PER_VOTE = 3;

interface Track {
  /** Readings within the window whose serial is clear; those that are clear as a whole are votes. */
  sightings: { atMs: number; reading: PlateReading }[];
  lastSeenMs: number;
  confirmed: boolean;
  /** When the track first had enough votes (it may wait for a surer frame from then on). */
  readySinceMs: number | null;
}

export interface TrackerOptions {
  minVotes?: number;
  windowMs?: number;
  forgetMs?: number;
  /**
   * Readings below this do not vote (default 0.5; the gate rules apply their own line). A reading
   * whose serial (everything after the province) is this sure still counts as a sighting, and
   * SIGHTINGS_PER_VOTE × minVotes sightings confirm the car too: one unclear province character
   * must not leave a car with a clear serial undecided at the barrier. Such an arrival keeps its
   * low confidence, so it goes to a person.
   */
  minConfidence?: number;
  /** A confirmed plate at or above this is decided at once (default 0.85, the gate rules' line). */
  confidentAt?: number;
  /** How long a plate with its votes but below `confidentAt` waits for a surer frame (default 2000 ms). */
  patienceMs?: number;
}

export class PlateTracker {
  private readonly tracks = new Map<string, Track>();
  private readonly minVotes: number;
  private readonly windowMs: number;
  private readonly forgetMs: number;
  private readonly minConfidence: number;
  private readonly confidentAt: number;
  private readonly patienceMs: number;

  constructor(opts: TrackerOptions = {}) {
    this.minVotes = opts.minVotes ?? 2;
    this.windowMs = opts.windowMs ?? 4000;
    this.forgetMs = opts.forgetMs ?? 8000;
    this.minConfidence = opts.minConfidence ?? 0.5;
    this.confidentAt = opts.confidentAt ?? 0.85;
    this.patienceMs = opts.patienceMs ?? 2000;
  }

  /** Feeds one frame's readings (none is a frame too: time passes); returns the vehicles confirmed by this frame. */
  observe(readings: readonly PlateReading[], atMs: number): Arrival[] {
    for (const [key, track] of this.tracks) if (atMs - track.lastSeenMs > this.forgetMs) this.tracks.delete(key);
    for (const reading of readings) {
      if (serialConfidence(reading) < this.minConfidence) continue;
      const key = serialKey(reading.text);
      const track = this.tracks.get(key) ?? { sightings: [], lastSeenMs: atMs, confirmed: false, readySinceMs: null };
      this.tracks.set(key, track);
      track.lastSeenMs = atMs;
      if (track.confirmed) continue;
      track.sightings = [...track.sightings.filter((v) => atMs - v.atMs <= this.windowMs), { atMs, reading }];
    }
    // A waiting plate is decided when its patience runs out even in a frame without it (the car may
    // have driven on).
    const arrivals: Arrival[] = [];
    for (const track of this.tracks.values()) {
      if (track.confirmed) continue;
      const decided = this.tally(track);
      if (!decided) continue;
      track.readySinceMs ??= atMs;
      if (decided.confidence < this.confidentAt && atMs - track.readySinceMs < this.patienceMs) continue;
      track.confirmed = true;
      arrivals.push({ ...decided, firstSeenMs: track.sightings[0].atMs, confirmedMs: atMs });
    }
    return arrivals;
  }

  /** The plate a track's votes (or, failing those, sightings) make, or null while they are too few. */
  private tally(track: Track): Omit<Arrival, 'firstSeenMs' | 'confirmedMs'> | null {
    const votes = track.sightings.filter((v) => v.reading.confidence >= this.minConfidence);
    const counted = votes.length >= this.minVotes ? votes : track.sightings.length >= this.minVotes * SIGHTINGS_PER_VOTE ? track.sightings : null;
    if (!counted) return null;
    const readings = counted.map((v) => v.reading);
    const serial = majority(readings, (r) => serialOf(r.text));
    const ofSerial = readings.filter((r) => serialOf(r.text) === serial.value);
    const province = majority(ofSerial, (r) => [...r.text][0]);
    const plate = province.value + serial.value;
    // The reading shown (box, per-character confidences) is the best one of the winning text, or
    // of the winning serial when no single frame read the whole winning text.
    const exact = ofSerial.filter((r) => r.text === plate);
    const best = (exact.length ? exact : ofSerial).reduce((a, b) => (b.confidence > a.confidence ? b : a));
    const confidence = exact.length ? best.confidence * province.share : province.confidence;
    return { plate, type: best.type, confidence, reading: best };
  }
}

/** The reading's confidence without its province character's share. */
const serialConfidence = (r: PlateReading) => r.confidence / Math.max(r.charConfidences[0] ?? 1, 1e-9);

/** Everything after the province character. */
const serialOf = (text: string) => [...text].slice(1).join('');

/** The track of a reading: its serial, by confusion key. */
const serialKey = (text: string) => serialOf(confusionKey(text));

/**
 * The value most readings agree on (ties: the higher total confidence), the share of readings that
 * gave it, and their mean confidence times that share — a plate whose province flickered stays low.
 */
function majority(readings: readonly PlateReading[], valueOf: (r: PlateReading) => string): { value: string; share: number; confidence: number } {
  const tally = new Map<string, { n: number; conf: number }>();
  for (const r of readings) {
    const t = tally.get(valueOf(r)) ?? { n: 0, conf: 0 };
    t.n++;
    t.conf += r.confidence;
    tally.set(valueOf(r), t);
  }
  const [value, win] = [...tally.entries()].sort((a, b) => b[1].n - a[1].n || b[1].conf - a[1].conf)[0];
  const share = win.n / readings.length;
  return { value, share, confidence: (win.conf / win.n) * share };
}
