// Append-only audit trail of who did what; routes and the access check write to it.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Pool, PoolClient } from 'pg';

export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string | null;
  outcome?: 'ok' | 'denied' | 'error';
  details?: Record<string, unknown>;
}

export class AuditLog {
  constructor(private readonly db: Pool) {}

  async write(request: FastifyRequest | null, entry: AuditEntry, client: Pool | PoolClient = this.db): Promise<void> {
    const p = request?.principal;
    await client.query(
      `INSERT INTO audit_log (actor_user_id, actor_role, action, target_type, target_id, outcome, ip, request_id, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        p?.kind === 'user' ? p.user.id : null,
        p ? (p.kind === 'user' ? p.role : `device:${p.device.kind}`) : null,
        entry.action,
        entry.targetType ?? null,
        entry.targetId ?? null,
        entry.outcome ?? 'ok',
        request?.ip ?? null,
        request?.id ?? null,
        entry.details ?? {},
      ],
    );
  }
}

export const auditPlugin = fp(async (app: FastifyInstance) => {
  app.decorate('audit', new AuditLog(app.db));
});
