import { describe, expect, it } from 'vitest';
import { scoreEvents, type TruthStall } from './score';

const truth: TruthStall[] = [
  { id: 'a', start: 20, end: 100, box: [0.1, 0.6, 0.2, 0.2], zoneId: 'left' },
  { id: 'b', start: 50, end: 120, box: [0.6, 0.5, 0.1, 0.1], zoneId: 'right' },
];

describe('scoreEvents', () => {
  it('matches by zone, time and box, and measures delay after the dwell', () => {
    const s = scoreEvents(
      [
        { zoneId: 'left', start: 41, end: 101, box: [0.12, 0.62, 0.15, 0.15] },
        { zoneId: 'right', start: 70.5, end: 121, box: [0.6, 0.5, 0.1, 0.1] },
      ],
      truth,
      20,
    );
    expect(s).toMatchObject({ truePositives: 2, precision: 1, recall: 1, maxDelay: 1 });
    expect(s.meanDelay).toBeCloseTo(0.75);
  });

  it('counts duplicates, wrong zones, wrong places and events outside the stall time as false', () => {
    const s = scoreEvents(
      [
        { zoneId: 'left', start: 40, end: 60, box: [0.1, 0.6, 0.2, 0.2] },
        { zoneId: 'left', start: 65, end: 100, box: [0.1, 0.6, 0.2, 0.2] }, // duplicate of a
        { zoneId: 'left', start: 70, end: 100, box: [0.6, 0.5, 0.1, 0.1] }, // b's place, wrong zone
        { zoneId: 'right', start: 10, end: 30, box: [0.6, 0.5, 0.1, 0.1] }, // before b
        { zoneId: 'right', start: 80, end: 90, box: [0.9, 0.1, 0.05, 0.05] }, // elsewhere
      ],
      truth,
      20,
    );
    expect(s).toMatchObject({ events: 5, truePositives: 1, precision: 0.2, recall: 0.5 });
  });

  it('treats no events and no truths as perfect, not NaN', () => {
    expect(scoreEvents([], [], 10)).toMatchObject({ precision: 1, recall: 1, meanDelay: null });
  });
});
