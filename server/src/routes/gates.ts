// Gate barriers ask "may this vehicle enter?" (by plate text or camera JPEG); staff search the
// decision log, review doubtful cases and see affordable-housing households to check.
// Rules: server/src/gates/rules.ts. Decisions are written before the answer leaves.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import sharp from 'sharp';
import { parsePlate } from '../../../analytics/src/plates/grammar';
import { PlateImageError, type PlateReading } from '../../../analytics/src/plates';
import { MIN_VOTE_CONFIDENCE } from '../analytics/gates-arrivals';
import { gateCameraNow, GateCameraUnavailable } from '../analytics/gates-frames';
import { announceReview, decideAtGate, toDecision, type PlateRead } from '../gates/check';
import { flaggedReason, registerEstateRules, visibleEstateRule } from '../gates/estate-rules';
import { registerGateRegistries } from '../gates/registries';
import { DECISION_IN_SITE, siteScope } from '../gates/site-scope';
import { estateStreamAccess } from '../gates/stream-access';
import { findGate, gateLocalProvince, type GateRow } from '../gates/store';
import { badRequest, conflict, forbidden, HttpError, notFound } from '../lib/http-error';
import { GATE_STAFF } from '../lib/roles';
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
    /** "Read the gate camera now": the server reads the newest keyframe of the gate's camera. */
    camera: Type.Optional(Type.Literal(true)),
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
  registerEstateRules(app);
  app.parents.access.allowRole('estate', estateStreamAccess(app.db));

  /**
   * The best reading of a frame, with its box kept for the plate crop. Readings below the vote line
   * of continuous mode are not legible (a sign read at 1 %): with nothing else the frame is `unreadable`.
   */
  const fromReadings = (image: Buffer, readings: PlateReading[], source: PlateRead['source']): PlateRead => {
    const best = readings.find((r) => r.confidence >= MIN_VOTE_CONFIDENCE);
    const details = { box: best?.box ?? null, readings: readings.slice(0, 5).map((r) => ({ text: r.text, type: r.type, confidence: r.confidence, box: r.box })) };
    return { image, plate: best?.text ?? null, plateType: best?.type ?? null, confidence: best?.confidence ?? 0, source, details };
  };

  async function readImage(b64: string, gateId: string): Promise<PlateRead> {
    const image = Buffer.from(b64, 'base64');
    if (image.length === 0 || image.length > MAX_IMAGE_BYTES) throw badRequest(`image must be 1 byte to ${MAX_IMAGE_BYTES} bytes of JPEG/PNG`, 'bad_image');
    try {
      const localProvince = await gateLocalProvince(app.db, gateId);
      return fromReadings(image, await (await app.plateReader()).readFrame(image, { localProvince }), 'image');
    } catch (err) {
      if (err instanceof PlateImageError) throw new HttpError(400, 'bad_image', err.message);
      throw err;
    }
  }

  async function readCamera(gate: GateRow): Promise<PlateRead> {
    if (!gate.cameraId) throw new HttpError(409, 'no_camera', 'This gate has no camera');
    try {
      const snap = await gateCameraNow(app, gate.cameraId);
      const localProvince = await gateLocalProvince(app.db, gate.id);
      return fromReadings(snap.jpeg, await (await app.plateReader()).readFrame(snap.jpeg, { localProvince }), 'camera');
    } catch (err) {
      if (err instanceof GateCameraUnavailable) throw new HttpError(503, 'camera_unavailable', err.message);
      throw err;
    }
  }

  app.post(
    '/api/gates/:gateId/check',
    {
      config: { access: ['gate'] },
      // A barrier asks up to ~1000 times a second and every decision is in gate_decisions: no
      // "incoming request"/"request completed" lines at info (two serialised log lines per check).
      logLevel: 'warn',
      bodyLimit: 12 * 1024 * 1024,
      schema: { tags: ['gates'], params: GateParams, body: CheckBody, response: { 200: CheckOut, ...errorResponses } },
    },
    async (request: FastifyRequest) => {
      const { gateId } = request.params as Static<typeof GateParams>;
      const body = request.body as Static<typeof CheckBody>;
      const principal = request.principal;
      if (principal?.kind !== 'device') throw forbidden();
      if ([body.plate, body.image, body.camera].filter((x) => x !== undefined).length !== 1) throw badRequest('Send exactly one of plate, image or camera', 'validation');
      const idempotencyKey = body.idempotencyKey ?? (request.headers['idempotency-key'] as string | undefined) ?? null;
      if (idempotencyKey !== null && !/^[A-Za-z0-9_.:-]{1,100}$/.test(idempotencyKey)) throw badRequest('Bad idempotency key', 'validation');
      // The device's key names its gate, so the hot path needs no gate lookup of its own.
      if (principal.device.gateId !== gateId) {
        if (!(await findGate(app.db, gateId))) throw notFound('Gate');
        throw forbidden('This device key belongs to another gate');
      }

      let read: PlateRead;
      if (body.plate !== undefined) {
        const parsed = parsePlate(body.plate);
        if (!parsed) throw badRequest(`"${body.plate}" is not a valid mainland plate`, 'invalid_plate');
        read = { image: null, plate: parsed.text, plateType: parsed.colors.length === 1 ? parsed.colors[0] : null, confidence: body.confidence ?? 1, source: 'text', details: {} };
      } else if (body.image !== undefined) read = await readImage(body.image, gateId);
      else {
        const gate = await findGate(app.db, gateId);
        if (!gate) throw notFound('Gate');
        read = await readCamera(gate);
      }

      const result = await decideAtGate(app, { gateId, deviceId: principal.device.id, idempotencyKey, read, log: request.log });
      if (!result) throw notFound('Gate');
      return { ...result.decision, replayed: result.replayed };
    },
  );

  app.get(
    '/api/gate-decisions',
    { config: { access: GATE_STAFF }, schema: { tags: ['gates'], querystring: DecisionQuery, response: { 200: Page(DecisionOut), ...errorResponses } } },
    async (request) => {
      const q = request.query as Static<typeof DecisionQuery>;
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (sql: string, v: unknown) => {
        params.push(v);
        where.push(sql.replace('?', `$${params.length}`));
      };
      const site = siteScope(request);
      if (site) add(DECISION_IN_SITE.replace('$N', '?'), site);
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

  /** `AND <decision d is in the caller's site>` with the site as `$2`, and the parameters for `id`. */
  const scoped = (request: FastifyRequest, id: string) => {
    const site = siteScope(request);
    return site === null ? { and: '', params: [id] } : { and: ` AND d.${DECISION_IN_SITE.replace('$N', '$2')}`, params: [id, site] };
  };

  app.get('/api/gate-decisions/:id/image', { config: { access: GATE_STAFF }, schema: { tags: ['gates'], params: IdParams } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const s = scoped(request, id);
    const { rows } = await app.db.query(`SELECT i.jpeg FROM gate_decision_images i JOIN gate_decisions d ON d.id = i.decision_id WHERE i.decision_id = $1${s.and}`, s.params);
    if (!rows[0]) throw notFound('Decision image');
    const jpeg = rows[0].jpeg as Buffer;
    return reply.type(jpeg[0] === 0x89 ? 'image/png' : 'image/jpeg').header('cache-control', 'private, max-age=3600').send(jpeg);
  });

  // The plate as the gate page shows it: the read box of the decision image with a margin, 240 px wide.
  app.get('/api/gate-decisions/:id/crop', { config: { access: GATE_STAFF }, schema: { tags: ['gates'], params: IdParams } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const s = scoped(request, id);
    const { rows } = await app.db.query(`SELECT i.jpeg, d.details->'box' AS box FROM gate_decision_images i JOIN gate_decisions d ON d.id = i.decision_id WHERE i.decision_id = $1${s.and}`, s.params);
    const box = rows[0]?.box as { x: number; y: number }[] | null | undefined;
    if (!rows[0] || !Array.isArray(box) || box.length !== 4) throw notFound('Plate crop');
    const image = sharp(rows[0].jpeg as Buffer);
    const { width = 0, height = 0 } = await image.metadata();
    const xs = box.map((p) => p.x);
    const ys = box.map((p) => p.y);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const mx = (x1 - x0) * 0.12;
    const my = (y1 - y0) * 0.3;
    const left = Math.max(0, Math.floor(x0 - mx));
    const top = Math.max(0, Math.floor(y0 - my));
    const right = Math.min(width, Math.ceil(x1 + mx));
    const bottom = Math.min(height, Math.ceil(y1 + my));
    if (right - left < 2 || bottom - top < 2) throw notFound('Plate crop');
    const jpeg = await image.extract({ left, top, width: right - left, height: bottom - top }).resize({ width: 240 }).jpeg({ quality: 85 }).toBuffer();
    return reply.type('image/jpeg').header('cache-control', 'private, max-age=3600').send(jpeg);
  });

  app.post(
    '/api/gate-decisions/:id/review',
    { config: { access: GATE_STAFF }, schema: { tags: ['gates'], params: IdParams, body: ReviewBody, response: { 200: DecisionOut, ...errorResponses } } },
    async (request) => {
      const { id } = request.params as { id: string };
      const body = request.body as Static<typeof ReviewBody>;
      const user = request.principal?.kind === 'user' ? request.principal.user : null;
      const site = siteScope(request);
      const { rows } = await app.db.query(
        `UPDATE gate_decisions d SET review_decision = $2, reviewed_by = $3, reviewed_at = now(),
           details = details || jsonb_build_object('reviewNote', $4::text)
         WHERE id = $1 AND decision = 'review' AND reviewed_at IS NULL AND ($5::uuid IS NULL OR d.${DECISION_IN_SITE.replace('$N', '$5')})
         RETURNING *, (SELECT site_id FROM gates g WHERE g.id = d.gate_id) AS site_id`,
        [id, body.decision, user?.id ?? null, body.note ?? '', site],
      );
      if (!rows[0]) {
        const s = scoped(request, id);
        const exists = await app.db.query(`SELECT 1 FROM gate_decisions d WHERE id = $1${s.and}`, s.params);
        if (!exists.rows[0]) throw notFound('Decision');
        throw conflict('Only an unreviewed "review" decision can be reviewed');
      }
      await app.audit.write(request, { action: 'gate.review', targetType: 'gate_decision', targetId: id, details: { decision: body.decision } });
      const out = toDecision(rows[0]);
      // The barrier controller (MQTT) and the gate pages (live) both hear the outcome.
      announceReview(app, out, rows[0].site_id, request.log);
      return out;
    },
  );

  app.get(
    '/api/sites/:id/flagged-households',
    { config: { access: GATE_STAFF }, schema: { tags: ['gates'], params: IdParams, response: { 200: Type.Object({ items: Type.Array(FlaggedOut) }), ...errorResponses } } },
    async (request) => {
      const rule = await visibleEstateRule(app, request);
      const { rows } = await app.db.query(
        `SELECT h.id, h.unit, h.head_name,
                json_agg(json_build_object('plate', v.plate, 'vehicleClass', v.vehicle_class, 'declaredValue', v.declared_value) ORDER BY v.plate) AS vehicles
           FROM households h JOIN vehicles v ON v.household_id = h.id
          WHERE h.site_id = $1 AND h.affordable AND (v.declared_value > $2 OR v.vehicle_class = ANY ($3))
          GROUP BY h.id, h.unit, h.head_name ORDER BY h.unit`,
        [rule.siteId, rule.maxVehicleValue, rule.flaggedClasses],
      );
      return { items: rows.map((r) => ({ householdId: r.id, unit: r.unit, headName: r.head_name, vehicles: r.vehicles, reason: flaggedReason(r.vehicles, rule) })) };
    },
  );
}
