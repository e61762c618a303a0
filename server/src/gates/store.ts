// Database side of gate decisions: one round trip for the facts about a plate, and the
// decision (with its image and a used-up visitor pass) written in one transaction before the
// barrier gets its answer. A device retry with the same idempotency key returns the first row.
import type { Pool } from 'pg';
import { confusionKey } from '../../../analytics/src/plates/grammar';
import { Batcher, perPool } from './batcher';
import { DEFAULT_ESTATE_RULE } from './estate-rules';
import { decisionBatcher } from './decision-batch';
import type { Facts, Outcome, Pass, Vehicle, WatchEntry } from './rules';

export interface GateRow {
  id: string;
  siteId: string;
  name: string;
  cameraId: string | null;
}

/** How the plate reached us: typed/sent by the device, its JPEG, or our read of the gate camera. */
export type DecisionSource = 'text' | 'image' | 'camera';

export interface DecisionInput {
  gateId: string;
  deviceId: string | null;
  idempotencyKey: string | null;
  plate: string | null;
  plateType: string | null;
  confidence: number;
  source: DecisionSource;
  image: Buffer | null;
  outcome: Outcome;
  details: Record<string, unknown>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type DecisionRow = Record<string, any>;

const toGate = (r: DecisionRow): GateRow => ({ id: r.id, siteId: r.site_id, name: r.name, cameraId: r.camera_id });

export async function findGate(db: Pool, id: string): Promise<GateRow | null> {
  const { rows } = await db.query('SELECT id, site_id, name, camera_id FROM gates WHERE id = $1', [id]);
  return rows[0] ? toGate(rows[0]) : null;
}

/** The local province of the gate's site (sites.plate_province), for the plate reader; undefined when unset. */
export async function gateLocalProvince(db: Pool, gateId: string): Promise<string | undefined> {
  const { rows } = await db.query('SELECT s.plate_province FROM gates g JOIN sites s ON s.id = g.site_id WHERE g.id = $1', [gateId]);
  return rows[0]?.plate_province ?? undefined;
}

// The gate and everything known about the plate at its estate, for every check waiting at that
// moment, in one round trip (Batcher; the hot path of a barrier's check is this query and the
// INSERT). A named statement, and its batch comes as one json parameter rather than arrays: with
// arrays PostgreSQL's custom plan knows the batch size and always looked cheaper than the generic
// one, so it re-planned every execution (half the statement's CPU). json_to_recordset has one
// estimate either way, so after five executions the cached generic plan is used.
// A null key (unreadable plate) matches nothing; an unknown gate gives no row. The watch list is
// matched by serial alone (any province; rules.ts decides what a province difference means).
const FACTS_SQL = `
WITH req AS (SELECT * FROM json_to_recordset($1::json) AS r(key text, gate_id uuid, n int))
SELECT req.n, g.id, g.site_id, g.name, g.camera_id,
  (SELECT coalesce(json_agg(json_build_object('id', w.id, 'plate', w.plate, 'reason', w.reason, 'severity', w.severity)), '[]')
     FROM watchlist w WHERE w.active AND substr(w.confusion_key, 2) = substr(req.key, 2)) AS watch,
  (SELECT coalesce(json_agg(json_build_object('id', v.id, 'plate', v.plate, 'householdId', v.household_id, 'unit', h.unit,
            'affordable', h.affordable, 'vehicleClass', v.vehicle_class, 'declaredValue', v.declared_value)), '[]')
     FROM vehicles v JOIN households h ON h.id = v.household_id WHERE v.confusion_key = req.key AND h.site_id = g.site_id) AS vehicles,
  (SELECT coalesce(json_agg(json_build_object('id', p.id, 'plate', p.plate, 'validFrom', p.valid_from, 'validTo', p.valid_to,
            'multiEntry', p.multi_entry, 'entries', p.entries) ORDER BY p.valid_to DESC), '[]')
     FROM visitor_passes p WHERE p.confusion_key = req.key AND p.site_id = g.site_id) AS passes,
  (SELECT json_build_object('maxVehicleValue', r.max_vehicle_value, 'flaggedClasses', r.flagged_classes)
     FROM estate_rules r WHERE r.site_id = g.site_id) AS rule,
  now() AS now
FROM req JOIN gates g ON g.id = req.gate_id`;

const factsBatcher = perPool((db: Pool) => {
  const b = new Batcher<{ key: string | null; gateId: string }, DecisionRow | null>(async (batch) => {
    const req = JSON.stringify(batch.map((q, i) => ({ key: q.key, gate_id: q.gateId, n: i + 1 })));
    const { rows } = await db.query({ name: 'gate-facts', text: FACTS_SQL, values: [req] });
    const byN = new Map(rows.map((r) => [Number(r.n), r]));
    return batch.map((_, i) => byN.get(i + 1) ?? null);
  });
  return (key: string | null, gateId: string) => b.submit({ key, gateId });
});

/** The gate (null: no such gate) and the facts the rules need about `plate` at its estate. */
export async function loadFacts(db: Pool, gateId: string, plate: string | null, confidence: number): Promise<{ gate: GateRow; facts: Facts } | null> {
  const r = await factsBatcher(db)(plate ? confusionKey(plate) : null, gateId);
  if (!r) return null;
  const gate = toGate(r);
  if (!plate) return { gate, facts: { plate, confidence, watch: [], vehicles: [], passes: [], estateRule: r.rule ?? DEFAULT_ESTATE_RULE, now: r.now } };
  return { gate, facts: {
    plate,
    confidence,
    watch: r.watch as WatchEntry[],
    vehicles: r.vehicles as Vehicle[],
    passes: (r.passes as (Omit<Pass, 'validFrom' | 'validTo'> & { validFrom: string; validTo: string })[]).map((p) => ({ ...p, validFrom: new Date(p.validFrom), validTo: new Date(p.validTo) })),
    estateRule: r.rule ?? DEFAULT_ESTATE_RULE,
    now: r.now,
  } };
}

const INSERT_SQL = `INSERT INTO gate_decisions (gate_id, device_id, idempotency_key, plate, plate_confidence, plate_type, decision, reason, rule,
     vehicle_id, pass_id, source, details)
   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
   ON CONFLICT (device_id, idempotency_key) DO NOTHING RETURNING *`;

const insertParams = (d: DecisionInput) => [
  d.gateId,
  d.deviceId,
  d.idempotencyKey,
  d.plate,
  d.confidence,
  d.plateType,
  d.outcome.decision,
  d.outcome.reason,
  d.outcome.rule,
  d.outcome.vehicle?.id ?? null,
  d.outcome.pass?.id ?? null,
  d.source,
  JSON.stringify(d.details),
];

/** The row the batch INSERT wrote, from what was inserted (its RETURNING adds the stored id, time and confidence). */
const decisionRow = (d: DecisionInput): DecisionRow => ({
  gate_id: d.gateId,
  device_id: d.deviceId,
  idempotency_key: d.idempotencyKey,
  plate: d.plate,
  plate_confidence: d.confidence,
  plate_type: d.plateType,
  decision: d.outcome.decision,
  reason: d.outcome.reason,
  rule: d.outcome.rule,
  vehicle_id: d.outcome.vehicle?.id ?? null,
  pass_id: d.outcome.pass?.id ?? null,
  source: d.source,
  details: d.details,
  has_image: false,
  review_decision: null,
  reviewed_at: null,
});

async function priorDecision(db: Pool, d: DecisionInput): Promise<{ row: DecisionRow; replayed: boolean }> {
  const prior = await db.query('SELECT * FROM gate_decisions WHERE device_id = $1 AND idempotency_key = $2', [d.deviceId, d.idempotencyKey]);
  return { row: prior.rows[0], replayed: true };
}

/** The visitor pass the decision would use was used up by a concurrent check: decide again. */
export const PASS_TAKEN = Symbol('pass taken');

/**
 * Writes the decision; returns it and whether it was an earlier answer to the same retry key, or
 * PASS_TAKEN (nothing written) when its single-entry pass was used by another check meanwhile.
 */
export async function recordDecision(db: Pool, d: DecisionInput): Promise<{ row: DecisionRow; replayed: boolean } | typeof PASS_TAKEN> {
  const usesPass = d.outcome.rule === 'visitor-pass' && d.outcome.pass;
  if (!usesPass && !d.image) {
    // The common case: no other row to write, so it can share a commit with concurrent checks.
    const stored = await decisionBatcher(db).insert(insertParams(d));
    return stored ? { row: { ...decisionRow(d), ...stored }, replayed: false } : priorDecision(db, d);
  }
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query(INSERT_SQL, insertParams(d));
    if (!rows[0]) {
      await client.query('ROLLBACK');
      return priorDecision(db, d);
    }
    if (usesPass) {
      // The facts were read before this transaction: two cars on one single-entry pass at once
      // both saw it unused. The row lock makes the second wait, and it then finds it used.
      const claimed = await client.query('UPDATE visitor_passes SET entries = entries + 1 WHERE id = $1 AND (multi_entry OR entries = 0) RETURNING id', [d.outcome.pass!.id]);
      if (claimed.rowCount === 0) {
        await client.query('ROLLBACK');
        return PASS_TAKEN;
      }
    }
    if (d.image) await client.query('INSERT INTO gate_decision_images (decision_id, jpeg) VALUES ($1, $2)', [rows[0].id, d.image]);
    await client.query('COMMIT');
    return { row: rows[0], replayed: false };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
