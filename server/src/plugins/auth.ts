// Who is calling (session cookie, or a device API key) and may they call this route.
// Fails closed: a route that declares no `config.access` answers 500 for everyone, and the
// authorization-matrix test catches it before it ships.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import { forbidden, HttpError, unauthorized } from '../lib/http-error';
import type { Role, UserRole } from '../lib/roles';
import { DeviceKeyCache } from '../lib/device-key-cache';
import { sha256 } from '../lib/tokens';
import type { Principal, SessionUser } from '../types';

export const SESSION_COOKIE = 'qly_sid';

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: UserRole;
  team_id: string | null;
  site_id: string | null;
  phone: string | null;
  locale: 'zh-CN' | 'en';
}

export const toSessionUser = (r: UserRow): SessionUser => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  teamId: r.team_id,
  siteId: r.site_id,
  phone: r.phone,
  locale: r.locale,
});

async function sessionPrincipal(app: FastifyInstance, token: string): Promise<Principal | null> {
  const { rows } = await app.db.query<UserRow & { session_id: string }>(
    `UPDATE sessions s SET last_seen_at = now() FROM users u
      WHERE s.token_hash = $1 AND s.expires_at > now() AND u.id = s.user_id AND NOT u.disabled
      RETURNING s.id AS session_id, u.*`,
    [sha256(token)],
  );
  const r = rows[0];
  return r ? { kind: 'user', role: r.role, user: toSessionUser(r), sessionId: r.session_id } : null;
}

async function devicePrincipal(app: FastifyInstance, key: string): Promise<Principal | null> {
  const hash = sha256(key);
  const cached = app.deviceKeys.get(hash);
  if (cached) return { kind: 'device', role: cached.kind, device: cached };
  const { rows } = await app.db.query<{ id: string; kind: 'gate' | 'alarm'; name: string; gate_id: string | null; site_id: string | null }>(
    `UPDATE devices SET last_used_at = now() WHERE key_hash = $1 AND revoked_at IS NULL
     RETURNING id, kind, name, gate_id, site_id`,
    [hash],
  );
  const d = rows[0];
  if (!d) return null;
  const device = { id: d.id, kind: d.kind, name: d.name, gateId: d.gate_id, siteId: d.site_id };
  app.deviceKeys.set(hash, device);
  return { kind: 'device', role: d.kind, device };
}

export async function resolvePrincipal(app: FastifyInstance, request: FastifyRequest): Promise<Principal | null> {
  const auth = request.headers.authorization;
  const deviceKey = (request.headers['x-device-key'] as string | undefined) ?? (auth?.startsWith('Bearer qlyk_') ? auth.slice(7) : undefined);
  if (deviceKey) return devicePrincipal(app, deviceKey);
  const token = request.cookies[SESSION_COOKIE] ?? (auth?.startsWith('Bearer ') ? auth.slice(7) : undefined);
  return token ? sessionPrincipal(app, token) : null;
}

export const authPlugin = fp(async (app: FastifyInstance) => {
  await app.register(cookie);
  app.decorate('deviceKeys', new DeviceKeyCache());
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    if (request.is404) return;
    const access = request.routeOptions.config?.access;
    if (access === undefined) throw new HttpError(500, 'internal', 'Route has no access rule');
    if (access === 'public') {
      request.principal = await resolvePrincipal(app, request).catch(() => null);
      return;
    }
    const principal = await resolvePrincipal(app, request);
    if (!principal) throw unauthorized();
    request.principal = principal;
    if (!access.includes(principal.role as Role)) {
      await app.audit.write(request, { action: 'access.denied', targetType: 'route', targetId: `${request.method} ${request.routeOptions.url}`, outcome: 'denied' });
      throw forbidden();
    }
  });
});

/** The signed-in person of a route that only users can reach. */
export function currentUser(request: FastifyRequest): SessionUser {
  const p = request.principal;
  if (p?.kind !== 'user') throw unauthorized();
  return p.user;
}
