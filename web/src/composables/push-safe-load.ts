/**
 * Loads a list that live pushes also change. A push that arrives while a load is in flight may be
 * newer than that load's answer (the query ran before the change was committed), so it is applied
 * again on top of the answer; without this a dispatch pushed during a reload vanished from the
 * phone. An answer overtaken by a newer load is dropped.
 */
export function pushSafeLoad<T>(fetch: () => Promise<T>, assign: (answer: T) => void) {
  let seq = 0;
  let inFlight = 0;
  const replay: (() => void)[] = [];

  async function load(): Promise<void> {
    const mine = ++seq;
    replay.length = 0;
    inFlight += 1;
    try {
      const answer = await fetch();
      if (mine !== seq) return;
      assign(answer);
      for (const change of replay) change();
      replay.length = 0;
    } finally {
      inFlight -= 1;
    }
  }

  /** Applies a pushed change now, and once more after the load in flight (if any) lands. */
  function push(change: () => void): void {
    if (inFlight > 0) replay.push(change);
    change();
  }

  return { load, push };
}
