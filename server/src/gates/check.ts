// One code path for every gate decision — a device's check by text or JPEG, "read the gate camera
// now", and continuous mode on the gate camera: facts and gate in one query, the rules, the
// decision (with its image) committed, and only then the pushes: live `gate.decision` (and
// `gate.alert` + a watch-list incident for the operators), and the barrier's MQTT topic.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { gateCameraNow } from '../analytics/gates-frames';
import { publishEvent, storeEventSnapshot } from '../incidents/events';
import { STAFF } from '../lib/roles';
import type { BarrierPublisher } from './barrier';
import { decide } from './rules';
import { loadFacts, PASS_TAKEN, recordDecision, type DecisionRow, type DecisionSource, type GateRow } from './store';

declare module 'fastify' {
  interface FastifyInstance {
    /** Publishes gate decisions and review outcomes to the barrier controllers (MQTT). */
    gateBarrier: BarrierPublisher;
  }
}

/** What was read, however it reached us. `plate` is canonical (grammar-valid) or null. */
export interface PlateRead {
  plate: string | null;
  plateType: string | null;
  confidence: number;
  image: Buffer | null;
  source: DecisionSource;
  /** Kept with the decision: `box` (the plate's quadrilateral in `image`), `readings`, … */
  details: Record<string, unknown>;
}

export const toDecision = (r: DecisionRow) => ({
  decisionId: r.id as string,
  gateId: r.gate_id as string,
  decision: r.decision as 'allow' | 'deny' | 'review',
  rule: r.rule as string,
  reason: r.reason as string,
  plate: r.plate as string | null,
  plateType: r.plate_type as string | null,
  confidence: r.plate_confidence as number | null,
  source: r.source as DecisionSource,
  vehicleId: r.vehicle_id as string | null,
  passId: r.pass_id as string | null,
  details: (r.details ?? {}) as Record<string, unknown>,
  hasImage: Boolean(r.has_image ?? r.source !== 'text'),
  reviewDecision: r.review_decision as string | null,
  reviewedAt: (r.reviewed_at as Date | null)?.toISOString() ?? null,
  createdAt: (r.created_at as Date).toISOString(),
});
export type DecisionApi = ReturnType<typeof toDecision>;

/** Decides and stores; null when the gate does not exist. Pushes happen after the commit. */
export async function decideAtGate(
  app: FastifyInstance,
  input: { gateId: string; deviceId: string | null; idempotencyKey: string | null; read: PlateRead; log: FastifyBaseLogger },
): Promise<{ decision: DecisionApi; replayed: boolean; gate: GateRow } | null> {
  const { read } = input;
  // A pass taken by a concurrent check is seen as used by the next reading (a plate rarely has
  // more than one pass to race for, hence the small bound).
  for (let attempt = 1; ; attempt++) {
    const loaded = await loadFacts(app.db, input.gateId, read.plate, read.confidence);
    if (!loaded) return null;
    const outcome = decide(loaded.facts);
    const details = { ...read.details, ...(outcome.resembles ? { resembles: outcome.resembles } : {}) };
    const stored = await recordDecision(app.db, {
      gateId: input.gateId,
      deviceId: input.deviceId,
      idempotencyKey: input.idempotencyKey,
      plate: read.plate,
      plateType: read.plateType,
      confidence: read.confidence,
      source: read.source,
      image: read.image,
      outcome,
      details,
    });
    if (stored === PASS_TAKEN) {
      if (attempt < 3) continue;
      throw new Error(`visitor passes of ${read.plate} taken by concurrent checks ${attempt} times in a row`);
    }
    return finish(app, stored, loaded.gate, outcome.alert ? { image: read.image } : null, input.log);
  }
}

function finish(app: FastifyInstance, { row, replayed }: { row: DecisionRow; replayed: boolean }, gate: GateRow, alert: Alert | null, log: FastifyBaseLogger) {
  const decision = toDecision(row);
  if (!replayed) announceDecision(app, decision, gate, alert, log);
  return { decision, replayed, gate };
}

/** Who hears a gate's pushes on the live socket: the city staff, and estate staff of the gate's site. */
const gateAudience = (siteId: string) => ({ roles: STAFF, siteIds: [siteId] });

/** A watch-list hit, with the picture it was read from (none for a plate sent as text; see alertPicture). */
interface Alert {
  image: Buffer | null;
}

/**
 * A plate sent as text has no picture; at a gate with a camera the incident gets the camera's
 * picture of that moment instead (the car is at the barrier), waited for at most this long.
 */
const ALERT_PICTURE_WAIT_MS = 3000;

async function alertPicture(app: FastifyInstance, alert: Alert, gate: GateRow): Promise<Buffer | null> {
  if (alert.image || !gate.cameraId) return alert.image;
  return (await gateCameraNow(app, gate.cameraId, ALERT_PICTURE_WAIT_MS)).jpeg;
}

/** Best effort: the decision is stored and the barrier that asked must not wait for these. */
function announceDecision(app: FastifyInstance, d: DecisionApi, gate: GateRow, alert: Alert | null, log: FastifyBaseLogger): void {
  const event = { ...d, gateName: gate.name, siteId: gate.siteId, cameraId: gate.cameraId };
  const warn = (what: string) => (err: unknown) => log.warn({ err }, `${what} failed`);
  app.live.publish('gate.decision', event, gateAudience(gate.siteId)).catch(warn('gate.decision publish'));
  app.gateBarrier.publish({ decisionId: d.decisionId, gateId: d.gateId, decision: d.decision, rule: d.rule, reason: d.reason, plate: d.plate, kind: 'check', at: d.createdAt });
  if (!alert) return;
  app.live.publish('gate.alert', event).catch(warn('gate.alert publish'));
  // The incident panel is where operators are alerted (sound, SLA timer, dispatch); the picture
  // of the car goes with it, so the patrol knows what to look for.
  alertPicture(app, alert, gate)
    .catch((err: unknown) => {
      log.warn({ err, gateId: gate.id }, 'gate camera picture for a watch-list hit failed; the incident has none');
      return null;
    })
    .then((image) => storeEventSnapshot(app.config.dataDir, image))
    .then((snapshotPath) =>
      publishEvent(app, {
        type: 'watchlist_plate',
        dedupKey: `gate-decision:${d.decisionId}`,
        cameraId: gate.cameraId,
        startedAt: new Date(d.createdAt),
        title: `布控车辆 ${d.plate ?? ''} @ ${gate.name}`,
        description: d.reason,
        snapshotPath,
        data: { decisionId: d.decisionId, gateId: d.gateId, plate: d.plate, rule: d.rule },
      }),
    )
    .catch(warn('watch-list incident'));
}

/** A person's review outcome, to the barrier (it opens or stays shut) and to the gate pages. */
export function announceReview(app: FastifyInstance, d: DecisionApi, siteId: string, log: FastifyBaseLogger): void {
  app.live.publish('gate.review', d, gateAudience(siteId)).catch((err) => log.warn({ err }, 'gate.review publish failed'));
  app.gateBarrier.publish({
    decisionId: d.decisionId,
    gateId: d.gateId,
    decision: d.reviewDecision as 'allow' | 'deny',
    rule: 'review',
    reason: `人工复核: ${d.reviewDecision === 'allow' ? '放行' : '拒绝'}`,
    plate: d.plate,
    kind: 'review',
    at: d.reviewedAt ?? new Date().toISOString(),
  });
}
