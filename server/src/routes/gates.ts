// Gate barriers ask "may this vehicle enter?" (by plate text or camera JPEG); staff search the
// decision log, review doubtful cases and see affordable-housing households to check.
// Rules: server/src/gates/rules.ts. Decisions are written before the answer leaves.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { parsePlate } from '../../../analytics/src/plates/grammar';
import { createPlateReader, PlateImageError, type PlateReader } from '../../../analytics/src/plates';
import { registerGateRegistries } from '../gates/registries';
import { decide } from '../gates/rules';
import { findGate, loadFacts, recordDecision, type DecisionRow } from '../gates/store';
import { badRequest, conflict, forbidden, HttpError, notFound } from '../lib/http-error';
import { STAFF } from '../lib/roles';
import { errorResponses, IdParams, Page, PageQuery, SafeText, Uuid } from '../lib/schemas';
import { paginate } from '../lib/sql';

const MAX_IMAGE_BYTES = 8 * 1024 * 1024;

const CheckBody = Type.Object(
  {
    plate: Type.Optional(Type.String({ minLength: 1, maxLength: 16 })),
    /** The device's own recognizer confidence for `plate` (default 1: typed by a person). */
    confidence: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    /** Base64 JPEG/PNG from the barrier camera. */
    image: Type.Optional(Type.String({ minLength: 4, maxLength: Math.ceil((MAX_IMAGE_BYTES * 4) / 3) + 4 })),
    idempotencyKey: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.:-]+$' })),
  },
  { additionalProperties: false },
);
const GateParams = Type.Object({ gateId: Uuid }, { additionalProperties: false });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const DecisionOut = Type.Object({
  decisionId: Type.String(),
  gateId: Type.String(),
  decision: Type.String(),
  rule: Type.String(),
  reason: Type.String(),
  plate: Nullable(Type.String()),
  plateType: Nullable(Type.String()),
  confidence: Type.Union([Type.Number(), Type.Null()]),
  source: Type.String(),
  vehicleId: Nullable(Type.String()),
  passId: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
  hasImage: Type.Boolean(),
  reviewDecision: Nullable(Type.String()),
  reviewedAt: Nullable(Type.String()),
  createdAt: Type.String(),
});
const CheckOut = Type.Intersect([DecisionOut, Type.Object({ replayed: Type.Boolean() })]);

const toDecision = (r: DecisionRow) => ({
  decisionId: r.id,
  gateId: r.gate_id,
  decision: r.decision,
  rule: r.rule,
  reason: r.reason,
  plate: r.plate,
  plateType: r.plate_type,
  confidence: r.plate_confidence,
  source: r.source,
  vehicleId: r.vehicle_id,
  passId: r.pass_id,
  details: r.details ?? {},
  hasImage: Boolean(r.has_image ?? r.source === 'image'),
  reviewDecision: r.review_decision,
  reviewedAt: r.reviewed_at?.toISOString() ?? null,
  createdAt: r.created_at.toISOString(),
});

const DecisionQuery = Type.Object(
  {
    ...PageQuery,
    gateId: Type.Optional(Uuid),
    plate: Type.Optional(SafeText(16)),
    decision: Type.Optional(Type.Union([Type.Literal('allow'), Type.Literal('deny'), Type.Literal('review')])),
    rule: Type.Optional(Type.String({ pattern: '^[a-z-]{1,40}$' })),
    pendingReview: Type.Optional(Type.Boolean()),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

const ReviewBody = Type.Object({ decision: Type.Union([Type.Literal('allow'), Type.Literal('deny')]), note: Type.Optional(SafeText(200)) }, { additionalProperties: false });

const FlaggedOut = Type.Object({
  householdId: Type.String(),
  unit: Type.String(),
  headName: Type.String(),
  vehicles: Type.Array(Type.Object({ plate: Type.String(), vehicleClass: Type.String(), declaredValue: Type.Number() })),
  reason: Type.String(),
});

export default async function gateRoutes(app: FastifyInstance) {
  registerGateRegistries(app);

  // The recognizer (tfjs + OpenCV, ~1 s to load) is loaded on the first image, once per process.
  let reader: Promise<PlateReader> | null = null;
  const getReader = () => (reader ??= createPlateReader());
  app.addHook('onClose', async () => (await reader?.catch(() => null))?.dispose());

  async function readImage(b64: string): Promise<{ image: Buffer; plate: string | null; plateType: string | null; confidence: number; details: Record<string, unknown> }> {
    const image = Buffer.from(b64, 'base64');
    if (image.length === 0 || image.length > MAX_IMAGE_BYTES) throw badRequest(`image must be 1 byte to ${MAX_IMAGE_BYTES} bytes of JPEG/PNG`, 'bad_image');
    try {
      const readings = await (await getReader()).readFrame(image);
      const best = readings[0];
      const details = { readings: readings.slice(0, 5).map((r) => ({ text: r.text, type: r.type, confidence: r.confidence, box: r.box })) };
      return { image, plate: best?.text ?? null, plateType: best?.type ?? null, confidence: best?.confidence ?? 0, details };
    } catch (err) {
      if (err instanceof PlateImageError) throw new HttpError(400, 'bad_image', err.message);
      throw err;
    }
  }

  app.post(
    '/api/gates/:gateId/check',
    {
      config: { access: ['gate'] },
      bodyLimit: 12 * 1024 * 1024,
      schema: { tags: ['gates'], params: GateParams, body: CheckBody, response: { 200: CheckOut, ...errorResponses } },
    },
    async (request: FastifyRequest) => {
      const { gateId } = request.params as Static<typeof GateParams>;
      const body = request.body as Static<typeof CheckBody>;
      const principal = request.principal;
      if (principal?.kind !== 'device') throw forbidden();
      if ((body.plate === undefined) === (body.image === undefined)) throw badRequest('Send exactly one of plate or image', 'validation');
      const gate = await findGate(app.db, gateId);
      if (!gate) throw notFound('Gate');
      if (principal.device.gateId !== gateId) throw forbidden('This device key belongs to another gate');

      let read: Awaited<ReturnType<typeof readImage>> | { image: null; plate: string; plateType: string | null; confidence: number; details: Record<string, unknown> };
      if (body.plate !== undefined) {
        const parsed = parsePlate(body.plate);
        if (!parsed) throw badRequest(`"${body.plate}" is not a valid mainland plate`, 'invalid_plate');
        read = { image: null, plate: parsed.text, plateType: parsed.colors.length === 1 ? parsed.colors[0] : null, confidence: body.confidence ?? 1, details: {} };
      } else read = await readImage(body.image!);

      const outcome = decide(await loadFacts(app.db, gate.siteId, read.plate, read.confidence));
      const idempotencyKey = body.idempotencyKey ?? (request.headers['idempotency-key'] as string | undefined) ?? null;
      if (idempotencyKey !== null && !/^[A-Za-z0-9_.:-]{1,100}$/.test(idempotencyKey)) throw badRequest('Bad idempotency key', 'validation');
      const details = { ...read.details, ...(outcome.resembles ? { resembles: outcome.resembles } : {}) };
      const { row, replayed } = await recordDecision(app.db, {
        gateId,
        deviceId: principal.device.id,
        idempotencyKey,
        plate: read.plate,
        plateType: read.plateType,
        confidence: read.confidence,
        source: read.image ? 'image' : 'text',
        image: read.image,
        outcome,
        details,
      });
      const out = { ...toDecision(row), replayed };
      if (!replayed) {
        const event = { ...out, gateName: gate.name, siteId: gate.siteId };
        // Live pushes are best effort: the decision is already stored and the barrier must not wait.
        app.live.publish('gate.decision', event).catch((err) => request.log.warn({ err }, 'gate.decision publish failed'));
        if (outcome.alert) app.live.publish('gate.alert', event).catch((err) => request.log.warn({ err }, 'gate.alert publish failed'));
      }
      return out;
    },
  );

  app.get(
    '/api/gate-decisions',
    { config: { access: STAFF }, schema: { tags: ['gates'], querystring: DecisionQuery, response: { 200: Page(DecisionOut), ...errorResponses } } },
    async (request) => {
      const q = request.query as Static<typeof DecisionQuery>;
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (sql: string, v: unknown) => {
        params.push(v);
        where.push(sql.replace('?', `$${params.length}`));
      };
      if (q.gateId) add('gate_id = ?', q.gateId);
      if (q.plate) add('plate ILIKE ?', `%${q.plate.replace(/[%_\\]/g, '\\$&').toUpperCase()}%`);
      if (q.q) {
        params.push(`%${q.q.replace(/[%_\\]/g, '\\$&')}%`);
        where.push(`(plate ILIKE $${params.length} OR reason ILIKE $${params.length})`);
      }
      if (q.decision) add('decision = ?', q.decision);
      if (q.rule) add('rule = ?', q.rule);
      if (q.pendingReview) where.push("decision = 'review' AND reviewed_at IS NULL");
      if (q.from) add('created_at >= ?', q.from);
      if (q.to) add('created_at < ?', q.to);
      return paginate(app.db, {
        from: '(SELECT d.*, EXISTS (SELECT 1 FROM gate_decision_images i WHERE i.decision_id = d.id) AS has_image FROM gate_decisions d) d',
        where,
        params,
        orderBy: 'created_at DESC, id',
        page: q.page,
        pageSize: q.pageSize,
        map: toDecision,
      });
    },
  );

  app.get('/api/gate-decisions/:id/image', { config: { access: STAFF }, schema: { tags: ['gates'], params: IdParams } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const { rows } = await app.db.query('SELECT jpeg FROM gate_decision_images WHERE decision_id = $1', [id]);
    if (!rows[0]) throw notFound('Decision image');
    const jpeg = rows[0].jpeg as Buffer;
    return reply.type(jpeg[0] === 0x89 ? 'image/png' : 'image/jpeg').header('cache-control', 'private, max-age=3600').send(jpeg);
  });

  app.post(
    '/api/gate-decisions/:id/review',
    { config: { access: STAFF }, schema: { tags: ['gates'], params: IdParams, body: ReviewBody, response: { 200: DecisionOut, ...errorResponses } } },
    async (request) => {
      const { id } = request.params as { id: string };
      const body = request.body as Static<typeof ReviewBody>;
      const user = request.principal?.kind === 'user' ? request.principal.user : null;
      const { rows } = await app.db.query(
        `UPDATE gate_decisions SET review_decision = $2, reviewed_by = $3, reviewed_at = now(),
           details = details || jsonb_build_object('reviewNote', $4::text)
         WHERE id = $1 AND decision = 'review' AND reviewed_at IS NULL RETURNING *`,
        [id, body.decision, user?.id ?? null, body.note ?? ''],
      );
      if (!rows[0]) {
        const exists = await app.db.query('SELECT 1 FROM gate_decisions WHERE id = $1', [id]);
        if (!exists.rows[0]) throw notFound('Decision');
        throw conflict('Only an unreviewed "review" decision can be reviewed');
      }
      await app.audit.write(request, { action: 'gate.review', targetType: 'gate_decision', targetId: id, details: { decision: body.decision } });
      const out = toDecision(rows[0]);
      // The barrier controller and the gate page both listen for this.
      app.live.publish('gate.review', out).catch((err) => request.log.warn({ err }, 'gate.review publish failed'));
      return out;
    },
  );

  app.get(
    '/api/sites/:id/flagged-households',
    { config: { access: STAFF }, schema: { tags: ['gates'], params: IdParams, response: { 200: Type.Object({ items: Type.Array(FlaggedOut) }), ...errorResponses } } },
    async (request) => {
      const { id } = request.params as { id: string };
      const { rows } = await app.db.query(
        `WITH r AS (SELECT coalesce((SELECT max_vehicle_value FROM estate_rules WHERE site_id = $1), 200000) AS max_value,
                           coalesce((SELECT flagged_classes FROM estate_rules WHERE site_id = $1), '{luxury}') AS classes)
         SELECT h.id, h.unit, h.head_name, r.max_value,
                json_agg(json_build_object('plate', v.plate, 'vehicleClass', v.vehicle_class, 'declaredValue', v.declared_value) ORDER BY v.plate) AS vehicles
           FROM households h JOIN vehicles v ON v.household_id = h.id CROSS JOIN r
          WHERE h.site_id = $1 AND h.affordable AND (v.declared_value > r.max_value OR v.vehicle_class = ANY (r.classes))
          GROUP BY h.id, h.unit, h.head_name, r.max_value ORDER BY h.unit`,
        [id],
      );
      return {
        items: rows.map((r) => ({
          householdId: r.id,
          unit: r.unit,
          headName: r.head_name,
          vehicles: r.vehicles,
          reason: `保障房住户车辆超过资格线 ${(r.max_value / 10000).toFixed(1)} 万元或属需核查类别`,
        })),
      };
    },
  );
}
