// Row-level scope of the gate routes: estate staff (物业) are bound to one site and see, review
// and edit only that site's gates, decisions, households, vehicles and passes. City staff
// (admin, operator) are not scoped. Rows outside the scope answer 404, exactly as if absent.
import type { FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { forbidden, notFound } from '../lib/http-error';

/** The caller's site when the caller is bound to one (estate staff); null = every site. */
export function siteScope(request: FastifyRequest): string | null {
  const p = request.principal;
  if (p?.kind !== 'user' || p.role !== 'estate') return null;
  // The users table requires a site for `estate`; fail closed if that ever breaks.
  if (!p.user.siteId) throw forbidden('Estate account without a site');
  return p.user.siteId;
}

/** SQL: the gate decision row `d` belongs to a gate of site `$N`. */
export const DECISION_IN_SITE = 'gate_id IN (SELECT id FROM gates WHERE site_id = $N)';
/** SQL: the vehicle row belongs to a household of site `$N`. */
export const VEHICLE_IN_SITE = 'household_id IN (SELECT id FROM households WHERE site_id = $N)';

/**
 * A create/patch body of a scoped caller may only point at its own site: `siteId` must be it and
 * `householdId` must be a household there (404 otherwise, like a by-id read of another site's row).
 */
export async function assertBodyInSite(db: Pool, site: string | null, body: Record<string, unknown>): Promise<void> {
  if (site === null) return;
  if (body.siteId !== undefined && body.siteId !== site) throw notFound('Site');
  if (typeof body.householdId === 'string') {
    const { rowCount } = await db.query('SELECT 1 FROM households WHERE id = $1 AND site_id = $2', [body.householdId, site]);
    if (!rowCount) throw notFound('Household');
  }
}
