import { describe, expect, it } from 'vitest';
import { pushSafeLoad } from './push-safe-load';

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('pushSafeLoad', () => {
  it('keeps a push that arrived while a stale answer was on its way', async () => {
    let list: string[] = [];
    const answer = deferred<string[]>();
    const loader = pushSafeLoad(() => answer.promise, (a) => (list = a));
    const loading = loader.load();
    loader.push(() => (list = [...list, 'pushed']));
    answer.resolve(['old']);
    await loading;
    expect(list).toEqual(['old', 'pushed']);
  });

  it('drops an answer overtaken by a newer load, and replays nothing once idle', async () => {
    let list: string[] = [];
    const answers = [deferred<string[]>(), deferred<string[]>()];
    let n = 0;
    const loader = pushSafeLoad(() => answers[n++].promise, (a) => (list = a));
    const first = loader.load();
    const second = loader.load();
    answers[1].resolve(['new']);
    answers[0].resolve(['stale']);
    await Promise.all([first, second]);
    expect(list).toEqual(['new']);
    let applied = 0;
    loader.push(() => (applied += 1));
    expect(applied).toBe(1);
  });
});
