import { describe, expect, it } from 'vitest';
import type { PlateReading } from './reader';
import { PlateTracker } from './tracker';

const reading = (text: string, confidence = 0.95): PlateReading => ({
  text,
  kind: 'ordinary',
  type: 'blue',
  confidence,
  confident: confidence >= 0.85,
  // As the reader gives them: the characters' product is the reading's confidence.
  charConfidences: [...text].map(() => confidence ** (1 / [...text].length)),
  box: [
    { x: 0, y: 0 },
    { x: 10, y: 0 },
    { x: 10, y: 3 },
    { x: 0, y: 3 },
  ],
});

describe('PlateTracker', () => {
  it('confirms a stopped car once, however many frames it stands there', () => {
    const tracker = new PlateTracker();
    const arrivals = [];
    for (let t = 0; t < 20_000; t += 500) arrivals.push(...tracker.observe([reading('京A12345')], t));
    expect(arrivals).toHaveLength(1);
    expect(arrivals[0]).toMatchObject({ plate: '京A12345', firstSeenMs: 0, confirmedMs: 500 });
  });

  it('treats OCR flicker (8/B) as one vehicle and picks the majority text', () => {
    const tracker = new PlateTracker({ minVotes: 3 });
    const out = [
      ...tracker.observe([reading('粤BB234D', 0.9)], 0),
      ...tracker.observe([reading('粤B8234D', 0.6)], 500),
      ...tracker.observe([reading('粤BB234D', 0.92)], 1000),
      ...tracker.observe([reading('粤B8234D', 0.6)], 1500),
    ];
    expect(out.map((a) => a.plate)).toEqual(['粤BB234D']);
  });

  it('keeps a car whose province character flickers as one vehicle, with the province most frames read, less sure', () => {
    const tracker = new PlateTracker({ minVotes: 3, patienceMs: 0 });
    const out = [
      ...tracker.observe([reading('渝E3154警', 0.7)], 0),
      ...tracker.observe([reading('湘E3154警', 0.6)], 500),
      ...tracker.observe([reading('渝E3154警', 0.8)], 1000),
      ...tracker.observe([reading('沪E3154警', 0.5)], 1500),
    ];
    expect(out).toHaveLength(1);
    expect(out[0].plate).toBe('渝E3154警');
    expect(out[0].reading.text).toBe('渝E3154警');
    // Two of three frames agreed on the province: the best of them, 0.8, × 2/3.
    expect(out[0].confidence).toBeCloseTo(0.8 * (2 / 3), 5);
  });

  it('decides the same car again after it has left and come back', () => {
    const tracker = new PlateTracker({ forgetMs: 5000 });
    const seen = (t: number) => tracker.observe([reading('京A12345')], t);
    expect([...seen(0), ...seen(500)]).toHaveLength(1);
    expect([...seen(20_000), ...seen(20_500)]).toHaveLength(1);
  });

  it('ignores single-frame and low-confidence readings, and several cars at once are each confirmed', () => {
    const tracker = new PlateTracker();
    expect(tracker.observe([reading('京A11111')], 0)).toEqual([]);
    expect(tracker.observe([reading('京A22222', 0.2)], 100)).toEqual([]);
    expect(tracker.observe([reading('京A22222', 0.2)], 200)).toEqual([]);
    const both = [...tracker.observe([reading('沪B33333'), reading('川C44444')], 300), ...tracker.observe([reading('沪B33333'), reading('川C44444')], 800)];
    expect(both.map((a) => a.plate).sort()).toEqual(['川C44444', '沪B33333']);
    // The first single reading has expired from the vote window by now.
    expect(tracker.observe([reading('京A11111')], 9000)).toEqual([]);
  });

  it('a car whose serial is clear but whose province never is still arrives, once, with its doubt', () => {
    const tracker = new PlateTracker({ patienceMs: 0 });
    // The serial at 0.95 each, the province at 0.2–0.4 and read three ways: no frame votes.
    const unclear = (text: string, province: number): PlateReading => {
      const r = reading(text);
      const chars = [province, ...[...text].slice(1).map(() => 0.95)];
      return { ...r, charConfidences: chars, confidence: chars.reduce((a, b) => a * b, 1), confident: false };
    };
    const frames = ['藏G08P50', '蒙G08P50', '藏G08P50', '琼G08P50', '藏G08P50', '藏G08P50', '蒙G08P50', '藏G08P50'];
    const arrivals = frames.flatMap((text, i) => tracker.observe([unclear(text, 0.2 + (i % 3) * 0.1)], i * 500));
    expect(arrivals).toHaveLength(1);
    expect(arrivals[0]).toMatchObject({ plate: '藏G08P50', firstSeenMs: 0, confirmedMs: 2500 });
    expect(arrivals[0].confidence).toBeLessThan(0.5);
  });

  it('waits for a surer frame when the first votes are unsure, and takes it', () => {
    const tracker = new PlateTracker();
    expect(tracker.observe([reading('津D16UZ7', 0.6)], 0)).toEqual([]);
    expect(tracker.observe([reading('津D16UZ7', 0.65)], 500)).toEqual([]);
    const [arrival] = tracker.observe([reading('津D16UZ7', 0.95)], 1000);
    expect(arrival).toMatchObject({ plate: '津D16UZ7', confirmedMs: 1000 });
    expect(arrival.confidence).toBeCloseTo(0.95, 5);
    expect(tracker.observe([reading('津D16UZ7', 0.95)], 1500)).toEqual([]);
  });

  it('decides an unsure plate when its patience runs out, even in a frame without it', () => {
    const tracker = new PlateTracker({ patienceMs: 2000 });
    tracker.observe([reading('津D16UZ7', 0.6)], 0);
    tracker.observe([reading('津D16UZ7', 0.6)], 500); // enough votes from here
    expect(tracker.observe([], 2000)).toEqual([]);
    const [arrival] = tracker.observe([], 2500);
    expect(arrival).toMatchObject({ plate: '津D16UZ7', firstSeenMs: 0, confirmedMs: 2500 });
    expect(arrival.confidence).toBeCloseTo(0.6, 5);
  });
});
