// Group commit for the barrier's hot path. A decision must be committed before the barrier gets
// its answer, and on this kind of machine a commit's WAL flush costs milliseconds — one INSERT per
// check capped a gate's throughput at a few hundred a second. Decisions that arrive while a write
// is in flight are queued and written together by the next one: one statement, one commit, one
// flush for all of them. An idle gate pays nothing extra (the first decision is written at once);
// each caller still waits for its own row to be committed. Idempotent retries keep working:
// ON CONFLICT skips the row and the caller gets the earlier decision.
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = Record<string, any>;

const COLUMNS = 'id, gate_id, device_id, idempotency_key, plate, plate_confidence, plate_type, decision, reason, rule, vehicle_id, pass_id, source, details';
const TYPES = ['uuid', 'uuid', 'uuid', 'text', 'text', 'real', 'text', 'text', 'text', 'text', 'uuid', 'uuid', 'text', 'jsonb'];
const BATCH_SQL = `INSERT INTO gate_decisions (${COLUMNS})
  SELECT * FROM unnest(${TYPES.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})
  ON CONFLICT (device_id, idempotency_key) DO NOTHING RETURNING *`;
const ONE_SQL = `INSERT INTO gate_decisions (${COLUMNS}) VALUES (${TYPES.map((_, i) => `$${i + 1}`).join(', ')})
  ON CONFLICT (device_id, idempotency_key) DO NOTHING RETURNING *`;

/** Column values in COLUMNS order, without the id. */
export type DecisionValues = unknown[];

interface Pending {
  id: string;
  values: DecisionValues;
  resolve: (row: Row | null) => void;
  reject: (err: unknown) => void;
}

const MAX_BATCH = 256;
/** Writes in flight at once (each on its own pooled connection). */
const MAX_IN_FLIGHT = 2;

export class DecisionBatcher {
  private queue: Pending[] = [];
  private inFlight = 0;

  constructor(private readonly db: Pool) {}

  /** The stored row, or null when the (device, idempotency key) was already used. */
  insert(values: DecisionValues): Promise<Row | null> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id: randomUUID(), values, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      this.inFlight++;
      void this.write(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    try {
      const columns = TYPES.map((_, c) => batch.map((p) => (c === 0 ? p.id : p.values[c - 1])));
      const { rows } = await this.db.query({ name: 'gate-decisions-batch', text: BATCH_SQL, values: columns });
      const byId = new Map(rows.map((r) => [r.id as string, r]));
      for (const p of batch) p.resolve(byId.get(p.id) ?? null);
    } catch (err) {
      if (batch.length === 1) return batch[0].reject(err);
      // One bad row (e.g. a vehicle deleted since its facts were read) must not fail the others.
      await Promise.all(batch.map((p) => this.db.query(ONE_SQL, [p.id, ...p.values]).then((r) => p.resolve(r.rows[0] ?? null), p.reject)));
    }
  }
}

const batchers = new WeakMap<Pool, DecisionBatcher>();
export const decisionBatcher = (db: Pool) => batchers.get(db) ?? (batchers.set(db, new DecisionBatcher(db)), batchers.get(db)!);
