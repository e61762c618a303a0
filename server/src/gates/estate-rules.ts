// The affordable-housing line of an estate (开高级车住保障房): the declared vehicle value above which,
// and the vehicle classes for which, an affordable household's car goes to review at the gate and
// the household is listed for checking. Everyone who works the gates may read it (estate staff for
// their own site); only an admin changes it — the line is the housing authority's decision, like the
// gates themselves, which estate staff cannot edit either. No cache: the gate's facts query reads
// the table on every check, so a change holds from the next check on.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Pool } from 'pg';
import { withTx } from '../incidents/tx';
import { notFound } from '../lib/http-error';
import { GATE_STAFF } from '../lib/roles';
import { errorResponses, IdParams } from '../lib/schemas';
import { siteScope } from './site-scope';

/** The classes a vehicle is registered with (the vehicle form offers these; web/src/features/gates/plate-rule.ts). */
export const VEHICLE_CLASSES = ['ordinary', 'suv', 'ev', 'luxury', 'truck'] as const;
export const MAX_VEHICLE_VALUE = 100_000_000;
/** An estate without a row: the column defaults of `estate_rules` (migration 1764400000000). */
export const DEFAULT_ESTATE_RULE = { maxVehicleValue: 200_000, flaggedClasses: ['luxury'] as string[] };

/** A vehicle's class as registered, and as a rule may flag it: one list, so every class can be flagged. */
export const VehicleClass = Type.Union(VEHICLE_CLASSES.map((c) => Type.Literal(c)));

const RuleBody = Type.Object(
  {
    /** Yuan; a vehicle declared above it is flagged. */
    maxVehicleValue: Type.Integer({ minimum: 0, maximum: MAX_VEHICLE_VALUE }),
    flaggedClasses: Type.Array(VehicleClass, { uniqueItems: true }),
  },
  { additionalProperties: false },
);
type RuleBody = Static<typeof RuleBody>;

const RuleOut = Type.Object({
  siteId: Type.String(),
  maxVehicleValue: Type.Integer(),
  flaggedClasses: Type.Array(Type.String()),
  /** Null while the estate has the defaults (no row). */
  updatedAt: Type.Union([Type.String(), Type.Null()]),
  /** Null for the defaults, a seeded row, or a deleted account. */
  updatedBy: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]),
});
export type EstateRuleOut = Static<typeof RuleOut>;

/** The estate's rule (defaults when it has none); null when there is no such site. */
export async function loadEstateRule(db: Pool, siteId: string): Promise<EstateRuleOut | null> {
  const { rows } = await db.query(
    `SELECT s.id, r.max_vehicle_value, r.flagged_classes, r.updated_at, u.id AS user_id, u.display_name
       FROM sites s LEFT JOIN estate_rules r ON r.site_id = s.id LEFT JOIN users u ON u.id = r.updated_by
      WHERE s.id = $1`,
    [siteId],
  );
  const r = rows[0];
  if (!r) return null;
  if (r.max_vehicle_value === null) return { siteId, ...DEFAULT_ESTATE_RULE, updatedAt: null, updatedBy: null };
  return {
    siteId,
    maxVehicleValue: r.max_vehicle_value,
    flaggedClasses: r.flagged_classes,
    updatedAt: r.updated_at.toISOString(),
    updatedBy: r.user_id ? { id: r.user_id, name: r.display_name } : null,
  };
}

const wan = (yuan: number) => `${(yuan / 10000).toFixed(1)} 万元`;

/** Why a household is on the flagged list: each of its vehicles with the part of the line it crosses. */
export function flaggedReason(vehicles: { plate: string; vehicleClass: string; declaredValue: number }[], rule: Pick<EstateRuleOut, 'maxVehicleValue' | 'flaggedClasses'>): string {
  return vehicles
    .map((v) => {
      const why = [
        ...(v.declaredValue > rule.maxVehicleValue ? [`申报价值 ${wan(v.declaredValue)} 超过资格线 ${wan(rule.maxVehicleValue)}`] : []),
        ...(rule.flaggedClasses.includes(v.vehicleClass) ? [`类别 ${v.vehicleClass} 需核查`] : []),
      ];
      return `${v.plate}：${why.join('，')}`;
    })
    .join('；');
}

/** The site of `:id` as the caller may see it: another estate's site is 404 for estate staff, as if absent. */
export async function visibleEstateRule(app: FastifyInstance, request: FastifyRequest): Promise<EstateRuleOut> {
  const { id } = request.params as { id: string };
  const scope = siteScope(request);
  const rule = scope === null || scope === id ? await loadEstateRule(app.db, id) : null;
  if (!rule) throw notFound('Site');
  return rule;
}

export function registerEstateRules(app: FastifyInstance): void {
  const schema = (extra: object = {}) => ({ tags: ['gates'], params: IdParams, ...extra, response: { 200: RuleOut, ...errorResponses } });

  app.get('/api/sites/:id/estate-rules', { config: { access: GATE_STAFF }, schema: schema() }, (request) => visibleEstateRule(app, request));

  app.put('/api/sites/:id/estate-rules', { config: { access: ['admin'] }, schema: schema({ body: RuleBody }) }, async (request) => {
    const before = await visibleEstateRule(app, request);
    const body = request.body as RuleBody;
    const userId = request.principal?.kind === 'user' ? request.principal.user.id : null;
    await withTx(app.db, async (client) => {
      await client.query(
        `INSERT INTO estate_rules (site_id, max_vehicle_value, flagged_classes, updated_at, updated_by) VALUES ($1, $2, $3, now(), $4)
         ON CONFLICT (site_id) DO UPDATE SET max_vehicle_value = EXCLUDED.max_vehicle_value, flagged_classes = EXCLUDED.flagged_classes,
           updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
        [before.siteId, body.maxVehicleValue, body.flaggedClasses, userId],
      );
      await app.audit.write(
        request,
        {
          action: 'estate_rules.update',
          targetType: 'site',
          targetId: before.siteId,
          details: { before: { maxVehicleValue: before.maxVehicleValue, flaggedClasses: before.flaggedClasses }, after: body },
        },
        client,
      );
    });
    return (await loadEstateRule(app.db, before.siteId))!;
  });
}
