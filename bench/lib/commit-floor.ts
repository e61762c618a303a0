// The floor under any "write before answering" latency: PostgreSQL alone, one durable INSERT
// (its own commit and WAL flush) per request at a fixed offered rate, open loop, from a pool like
// the server's. A gate check cannot be faster than this on the same disk, so the bench prints it
// next to the check's own figures (same process, same minute).
import type { Pool } from 'pg';

export interface CommitFloor {
  requests: number;
  rate: number;
  p50: number;
  p99: number;
  max: number;
}

export async function commitFloor(db: Pool, rate: number, seconds: number, pct: (xs: number[], p: number) => number): Promise<CommitFloor> {
  // A real table: temporary and unlogged ones skip the WAL flush that is being measured.
  await db.query('CREATE TABLE IF NOT EXISTS bench_commit_floor (id bigserial PRIMARY KEY, v text NOT NULL)');
  try {
    const lat: Promise<number>[] = [];
    const total = rate * seconds;
    const began = performance.now();
    let sent = 0;
    while (sent < total) {
      const due = Math.min(total, Math.floor(((performance.now() - began) / 1000) * rate));
      for (; sent < due; sent++) {
        const t = performance.now();
        lat.push(db.query('INSERT INTO bench_commit_floor (v) VALUES ($1)', [`r${sent}`]).then(() => performance.now() - t));
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    const ms = await Promise.all(lat);
    return { requests: ms.length, rate: ms.length / ((performance.now() - began) / 1000), p50: pct(ms, 50), p99: pct(ms, 99), max: Math.max(...ms) };
  } finally {
    await db.query('DROP TABLE bench_commit_floor');
  }
}
