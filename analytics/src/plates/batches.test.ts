import { describe, expect, it } from 'vitest';
import { BatchStream, batchMaker, type BatchPlan } from './batches';
import { Rng } from './rng';

describe('BatchStream', () => {
  it.each<BatchPlan>([
    { seed: 7, batch: 4, realPerBatch: 0 },
    { seed: 8, batch: 3, realPerBatch: 1 },
  ])('yields the batches rendering them inline would, in order (%o)', async (plan) => {
    const inline = await batchMaker(plan, new Rng(plan.seed));
    const expected = [await inline(), await inline(), await inline()];
    const stream = new BatchStream(plan);
    try {
      for (const want of expected) {
        const got = await stream.next();
        expect(got.map((s) => s.text)).toEqual(want.map((s) => s.text));
        got.forEach((s, i) => expect(Buffer.from(s.rgb).equals(Buffer.from(want[i].rgb))).toBe(true));
      }
    } finally {
      await stream.close();
    }
  });
});
