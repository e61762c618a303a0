import { describe, expect, it } from 'vitest';
import { Batcher } from './batcher';

describe('Batcher', () => {
  it('sends the first item at once and groups what arrives meanwhile, answering each its own', async () => {
    const batches: number[][] = [];
    let release: () => void = () => {};
    const b = new Batcher<number, number>(async (items) => {
      batches.push(items);
      if (batches.length === 1) await new Promise<void>((r) => (release = r));
      return items.map((i) => i * 10);
    }, 1);
    const first = b.submit(1);
    const rest = [2, 3, 4].map((i) => b.submit(i));
    expect(batches).toEqual([[1]]);
    release();
    expect(await Promise.all([first, ...rest])).toEqual([10, 20, 30, 40]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('fails only the caller whose item failed; a failed batch fails its callers', async () => {
    const b = new Batcher<number, number>(async (items) => {
      if (items.includes(99)) throw new Error('down');
      return items.map((i) => (i === 2 ? new Error('bad row') : i));
    });
    const [one, two] = await Promise.allSettled([b.submit(1), b.submit(2)]);
    expect(one).toEqual({ status: 'fulfilled', value: 1 });
    expect(two).toMatchObject({ status: 'rejected', reason: new Error('bad row') });
    await expect(b.submit(99)).rejects.toThrow('down');
    expect(await b.submit(3)).toBe(3);
  });
});
