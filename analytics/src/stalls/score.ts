// Scores detected stall events against ground truth: precision, recall and detection delay.
import type { Box } from './types';
import { overlapRatio } from './zone-tracker';

export interface TruthStall {
  id: string;
  start: number;
  end: number;
  box: Box;
  zoneId?: string;
}

export interface ScoredEvent {
  zoneId: string;
  start: number;
  end: number;
  box: Box;
}

export interface Score {
  truths: number;
  events: number;
  truePositives: number;
  precision: number;
  recall: number;
  /** event start − true start − dwell, per matched truth (seconds). */
  delays: number[];
  meanDelay: number | null;
  maxDelay: number | null;
}

/**
 * An event matches a truth when it is in the same zone (if the truth names one), starts while
 * the stall is there, and its box overlaps the true box by at least half of the smaller box.
 * Each truth takes one event; a second event for the same stall counts as a false positive
 * (events must be deduplicated).
 */
export function scoreEvents(events: ScoredEvent[], truths: TruthStall[], dwellSec: number): Score {
  const used = new Set<TruthStall>();
  const delays: number[] = [];
  let tp = 0;
  for (const e of [...events].sort((a, b) => a.start - b.start)) {
    const hit = truths.find(
      (s) => !used.has(s) && (s.zoneId === undefined || s.zoneId === e.zoneId) && e.start >= s.start && e.start <= s.end && overlapRatio(e.box, s.box) >= 0.5,
    );
    if (!hit) continue;
    used.add(hit);
    tp++;
    delays.push(e.start - hit.start - dwellSec);
  }
  const mean = delays.length ? delays.reduce((a, b) => a + b, 0) / delays.length : null;
  return {
    truths: truths.length,
    events: events.length,
    truePositives: tp,
    precision: events.length ? tp / events.length : 1,
    recall: truths.length ? tp / truths.length : 1,
    delays,
    meanDelay: mean,
    maxDelay: delays.length ? Math.max(...delays) : null,
  };
}
