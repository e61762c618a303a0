import { describe, expect, it } from 'vitest';
import type { PlateReading } from '../../../analytics/src/plates';
import { GateArrivals } from './gates-arrivals';

const reading = (text: string, confidence: number, x: number, y = 800, w = 200): PlateReading =>
  ({ text, kind: 'ordinary', type: 'blue', confidence, confident: confidence >= 0.85, charConfidences: [], box: [{ x, y }, { x: x + w, y }, { x: x + w, y: y + 60 }, { x, y: y + 60 }] }) as unknown as PlateReading;

describe('GateArrivals', () => {
  it('decides a standing car once even when its province character flickers, and the next car at the same spot again', () => {
    const g = new GateArrivals();
    const seen: string[] = [];
    const frame = (s: number, ...r: PlateReading[]) => seen.push(...g.observe(r, s * 1000).map((a) => a.plate));
    frame(0, reading('鄂J46U0Y', 0.18, 830));
    frame(1, reading('鄂J46U0Y', 0.27, 816));
    frame(2, reading('蒙J46U0Y', 0.14, 810));
    frame(3, reading('蒙J46U0Y', 0.14, 810));
    frame(4, reading('蒙J46U0Y', 0.21, 810));
    for (let s = 5; s < 10; s++) frame(s); // the car drove on
    frame(10, reading('冀K2374T', 0.29, 806));
    frame(11, reading('冀K2374T', 0.27, 799));
    for (let s = 12; s < 14; s++) frame(s); // unsure: decided once the tracker's patience runs out
    expect(seen).toEqual(['鄂J46U0Y', '冀K2374T']);
  });

  it('confirms a car from keyframes read 5 s apart, as a very busy machine reads them', () => {
    const g = new GateArrivals();
    const out = [0, 5, 10].flatMap((s) => g.observe([reading('津D16UZ7', 0.4, 820)], s * 1000));
    expect(out.map((a) => a.plate)).toEqual(['津D16UZ7']);
  });

  it('ignores plate-like signs read at almost no confidence', () => {
    const g = new GateArrivals();
    const out = [0, 1, 2, 3].flatMap((s) => g.observe([reading('青R2236警', 0.01, 1700, 560)], s * 1000));
    expect(out).toEqual([]);
  });

  it('two cars side by side are two vehicles', () => {
    const g = new GateArrivals();
    const out = [0, 1].flatMap((s) => g.observe([reading('粤B12345', 0.9, 200), reading('粤B67890', 0.9, 1200)], s * 1000));
    expect(out.map((a) => a.plate).sort()).toEqual(['粤B12345', '粤B67890']);
  });
});
