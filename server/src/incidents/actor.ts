// Who changed an incident, for the append-only log and for team checks.
import type { FastifyRequest } from 'fastify';

export interface Actor {
  kind: 'user' | 'device' | 'system';
  userId: string | null;
  role: string | null;
  teamId: string | null;
  /** Network address the change came from (null for the system's own timers). */
  address: string | null;
  deviceId?: string | null;
}

export const SYSTEM: Actor = { kind: 'system', userId: null, role: null, teamId: null, address: null };

export function actorOf(request: FastifyRequest): Actor {
  const p = request.principal;
  if (p?.kind === 'user') return { kind: 'user', userId: p.user.id, role: p.role, teamId: p.user.teamId, address: request.ip };
  if (p?.kind === 'device') return { kind: 'device', userId: null, role: p.role, teamId: null, address: request.ip, deviceId: p.device.id };
  return { ...SYSTEM, address: request.ip };
}
