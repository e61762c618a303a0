// Group commit for decisions (Batcher): a decision must be committed before the barrier gets its
// answer, and a commit's WAL flush costs milliseconds here — one INSERT per check capped a gate at a
// few hundred a second. Concurrent decisions share one INSERT, one commit and one flush. Idempotent
// retries keep working: ON CONFLICT skips the row and the caller gets the earlier decision.
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { Batcher, perPool } from './batcher';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = Record<string, any>;

const COLUMNS = 'id, gate_id, device_id, idempotency_key, plate, plate_confidence, plate_type, decision, reason, rule, vehicle_id, pass_id, source, details';
const TYPES = ['uuid', 'uuid', 'uuid', 'text', 'text', 'real', 'text', 'text', 'text', 'text', 'uuid', 'uuid', 'text', 'jsonb'];
const NAMES = COLUMNS.split(', ');
// The batch is one json parameter (not one array per column): PostgreSQL then has the same row
// estimate for the custom and the generic plan and keeps the cached generic plan after five
// executions, instead of re-planning the INSERT every time (arrays' lengths made custom look cheaper).
const BATCH_SQL = `INSERT INTO gate_decisions (${COLUMNS})
  SELECT ${NAMES.map((n, i) => (TYPES[i] === 'jsonb' ? `${n}::jsonb` : n)).join(', ')}
    FROM json_to_recordset($1::json) AS r(${NAMES.map((n, i) => `${n} ${TYPES[i] === 'jsonb' ? 'text' : TYPES[i]}`).join(', ')})
  ON CONFLICT (device_id, idempotency_key) DO NOTHING RETURNING id, created_at, plate_confidence`;
const ONE_SQL = `INSERT INTO gate_decisions (${COLUMNS}) VALUES (${TYPES.map((_, i) => `$${i + 1}`).join(', ')})
  ON CONFLICT (device_id, idempotency_key) DO NOTHING RETURNING id, created_at, plate_confidence`;

/** Column values in COLUMNS order, without the id. */
export type DecisionValues = unknown[];

async function insertAll(db: Pool, batch: DecisionValues[]): Promise<(Row | null | Error)[]> {
  const rows = batch.map((values) => [randomUUID(), ...values]);
  try {
    const json = JSON.stringify(rows.map((r) => Object.fromEntries(NAMES.map((n, c) => [n, r[c]]))));
    const { rows: stored } = await db.query({ name: 'gate-decisions-batch', text: BATCH_SQL, values: [json] });
    const byId = new Map(stored.map((r) => [r.id as string, r]));
    return rows.map((r) => byId.get(r[0] as string) ?? null);
  } catch (err) {
    if (rows.length === 1) throw err;
    // One bad row (e.g. a vehicle deleted since its facts were read) must not fail the others;
    // each is retried alone (the batch statement wrote nothing) and fails or succeeds by itself.
    return Promise.all(rows.map((r) => db.query(ONE_SQL, r).then((res) => res.rows[0] ?? null, (e: Error) => e)));
  }
}

/**
 * `insert(values)` → the stored row's `id`, `created_at` and `plate_confidence` (as `real` stored
 * it, so a replay answers the same); the caller has the rest, and returning only these keeps pg's
 * per-result parsing small. Or null when the (device, idempotency key) was already used.
 */
export const decisionBatcher = perPool((db: Pool) => {
  const b = new Batcher<DecisionValues, Row | null>((batch) => insertAll(db, batch));
  return { insert: (values: DecisionValues) => b.submit(values) };
});
