// Which vehicles arrived at the barrier, once each: PlateTracker votes readings per plate text,
// and DecidedPlaces keeps a second confirmation of the same standing car (its text read two ways)
// from becoming a second decision.
import { PlateTracker, type Arrival, type PlateReading } from '../../../analytics/src/plates';

/**
 * Readings from this confidence up vote (PlateTracker's default is 0.5). Safe to set low: the gate
 * rules send anything under 0.85 to a person, so a weak but stable reading of a car standing at the
 * barrier becomes a review instead of no decision at all; plate-like signs read at ~0.01 stay out.
 */
export const MIN_VOTE_CONFIDENCE = 0.05;
/**
 * Two agreeing readings within this long confirm a car. Longer than the tracker's default (4 s):
 * the pipeline reads one keyframe a second on an idle machine but skips to every second or third
 * when the machine is busy, and a car stands at the barrier for several seconds; a standing car
 * is still decided once (DecidedPlaces).
 */
const VOTE_WINDOW_MS = 8000;
/** A decided vehicle's plate area counts as still occupied while readings keep landing there. */
const OCCUPIED_GAP_MS = 3000;

type Box = PlateReading['box'];
const centre = (b: Box) => ({ x: (b[0].x + b[1].x + b[2].x + b[3].x) / 4, y: (b[0].y + b[1].y + b[2].y + b[3].y) / 4 });
const width = (b: Box) => Math.max(...b.map((p) => p.x)) - Math.min(...b.map((p) => p.x));
/** Same place in the picture: centres within 1.5 plate widths (a car creeping up moves less). */
function samePlace(a: Box, b: Box): boolean {
  const [ca, cb] = [centre(a), centre(b)];
  return Math.hypot(ca.x - cb.x, ca.y - cb.y) < 1.5 * Math.max(width(a), width(b));
}

/**
 * Once per vehicle, also when the reader's text changes while it stands there (a province
 * character read two ways is two plates to the tracker): a confirmation where a decided vehicle
 * still stands is the same vehicle. The next car stops at the same spot, but only after the plate
 * area has been empty for a few seconds.
 */
class DecidedPlaces {
  private places: { box: Box; lastSeenMs: number }[] = [];

  /** Notes where this frame's readings are; forgets places empty for longer than the gap. */
  see(readings: readonly PlateReading[], atMs: number): void {
    for (const p of this.places) if (readings.some((r) => samePlace(r.box, p.box))) p.lastSeenMs = atMs;
    this.places = this.places.filter((p) => atMs - p.lastSeenMs <= OCCUPIED_GAP_MS);
  }

  /** True if a vehicle was already decided here; otherwise remembers this one. */
  decided(box: Box, atMs: number): boolean {
    if (this.places.some((p) => samePlace(box, p.box))) return true;
    this.places.push({ box, lastSeenMs: atMs });
    return false;
  }
}

export class GateArrivals {
  private readonly tracker = new PlateTracker({ minConfidence: MIN_VOTE_CONFIDENCE, windowMs: VOTE_WINDOW_MS });
  private readonly places = new DecidedPlaces();

  /** One frame's readings (any confidence); returns the vehicles to decide now. */
  observe(readings: readonly PlateReading[], atMs: number): Arrival[] {
    const voting = readings.filter((r) => r.confidence >= MIN_VOTE_CONFIDENCE);
    this.places.see(voting, atMs);
    return this.tracker.observe(voting, atMs).filter((a) => !this.places.decided(a.reading.box, atMs));
  }
}
