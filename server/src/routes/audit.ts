import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { errorResponses, Page, PageQuery, SafeText, Uuid } from '../lib/schemas';
import { paginate, whereFrom } from '../lib/sql';

const AuditOut = Type.Object({
  id: Type.String(),
  at: Type.String(),
  actorUserId: Type.Union([Type.String(), Type.Null()]),
  actorRole: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  targetType: Type.Union([Type.String(), Type.Null()]),
  targetId: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.String(),
  ip: Type.Union([Type.String(), Type.Null()]),
  details: Type.Unknown(),
});

export default async function auditRoutes(app: FastifyInstance) {
  app.get(
    '/api/audit',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['audit'],
        querystring: Type.Object({ ...PageQuery, action: Type.Optional(SafeText(100)), actorUserId: Type.Optional(Uuid), outcome: Type.Optional(Type.String({ enum: ['ok', 'denied', 'error'] })) }, { additionalProperties: false }),
        response: { 200: Page(AuditOut), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query as { page?: number; pageSize?: number; action?: string; actorUserId?: string; outcome?: string };
      const { where, params } = whereFrom([
        [q.action && `${q.action}%`, 'action LIKE $N'],
        [q.actorUserId, 'actor_user_id = $N'],
        [q.outcome, 'outcome = $N'],
      ]);
      return paginate(app.db, {
        from: 'audit_log',
        where,
        params,
        orderBy: 'id DESC',
        page: q.page,
        pageSize: q.pageSize,
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        map: (r: any) => ({ id: String(r.id), at: r.at.toISOString(), actorUserId: r.actor_user_id, actorRole: r.actor_role, action: r.action, targetType: r.target_type, targetId: r.target_id, outcome: r.outcome, ip: r.ip, details: r.details }),
      });
    },
  );
}
