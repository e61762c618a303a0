// Stream tokens and the view log. A player asks for a token before its first media request and
// renews it (same viewId) while it plays; staff read and export who watched what, when, from where.
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { notFound } from '../lib/http-error';
import { errorResponses, IdParams, Page, PageQuery, Uuid } from '../lib/schemas';
import { paginate, whereFrom } from '../lib/sql';
import { STAFF } from './classrooms';

// Who may ask for a token; the stream guard decides for which streams (patrol: their incidents'
// cameras; estate: their site's gate cameras).
const VIEWERS = ['admin', 'operator', 'parent', 'patrol', 'estate'] as const;
const StreamId = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._:-]+$' });
const TokenBody = Type.Object({ streamId: StreamId, viewId: Type.Optional(Uuid) }, { additionalProperties: false });
const TokenOut = Type.Object({ token: Type.String(), expiresAt: Type.String(), expiresIn: Type.Integer(), viewId: Type.String(), streamId: Type.String(), allowedUntil: Type.Union([Type.String(), Type.Null()]) });
const Nullable = (t: ReturnType<typeof Type.String>) => Type.Union([t, Type.Null()]);
const ViewOut = Type.Object({
  id: Type.String(),
  userId: Nullable(Type.String()),
  userName: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  role: Type.String(),
  classroomId: Nullable(Type.String()),
  classroomName: Nullable(Type.String()),
  streamId: Type.String(),
  startedAt: Type.String(),
  lastSeenAt: Type.String(),
  endedAt: Nullable(Type.String()),
  endReason: Nullable(Type.String()),
  ip: Nullable(Type.String()),
});
const ViewFilters = {
  userId: Type.Optional(Uuid),
  classroomId: Type.Optional(Uuid),
  streamId: Type.Optional(StreamId),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
};
type ViewQuery = { page?: number; pageSize?: number; q?: string; userId?: string; classroomId?: string; streamId?: string; from?: string; to?: string };

const VIEWS_FROM = `(SELECT v.*, u.display_name AS user_name, u.phone, c.name AS classroom_name
                       FROM stream_views v LEFT JOIN users u ON u.id = v.user_id LEFT JOIN classrooms c ON c.id = v.classroom_id) views`;
const CSV_MAX_ROWS = 50_000;

function viewFilters(q: ViewQuery): { where: string[]; params: unknown[] } {
  return whereFrom(
    [
      [q.userId, 'user_id = $N'],
      [q.classroomId, 'classroom_id = $N'],
      [q.streamId, 'stream_id = $N'],
      [q.from, 'coalesce(ended_at, last_seen_at) >= $N'],
      [q.to, 'started_at < $N'],
    ],
    { text: q.q, columns: ['user_name', 'phone', 'ip'] },
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const toView = (r: any) => ({
  id: r.id,
  userId: r.user_id,
  userName: r.user_name,
  phone: r.phone,
  role: r.user_role,
  classroomId: r.classroom_id,
  classroomName: r.classroom_name,
  streamId: r.stream_id,
  startedAt: r.started_at.toISOString(),
  lastSeenAt: r.last_seen_at.toISOString(),
  endedAt: r.ended_at?.toISOString() ?? null,
  endReason: r.end_reason,
  ip: r.ip,
});

/** A CSV cell; a leading = + - @ is neutralised so a spreadsheet never runs it as a formula. */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export default async function streamTokenRoutes(app: FastifyInstance) {
  const tags = ['streams'];

  app.post(
    '/api/stream-tokens',
    { config: { access: VIEWERS }, schema: { tags, body: TokenBody, response: { 200: TokenOut, ...errorResponses, 429: errorResponses[400] } } },
    async (request) => {
      const b = request.body as Static<typeof TokenBody>;
      return app.parents.issue(request, b.streamId, b.viewId);
    },
  );

  app.post('/api/stream-views/:id/stop', { config: { access: VIEWERS }, schema: { tags, params: IdParams, response: { 204: Type.Null(), ...errorResponses } } }, async (request, reply) => {
    if (!(await app.parents.stopView(request, (request.params as { id: string }).id))) throw notFound('View');
    return reply.status(204).send();
  });

  app.get(
    '/api/stream-views',
    { config: { access: STAFF }, schema: { tags, querystring: Type.Object({ ...PageQuery, ...ViewFilters }, { additionalProperties: false }), response: { 200: Page(ViewOut), ...errorResponses } } },
    async (request) => {
      const q = request.query as ViewQuery;
      return paginate(app.db, { from: VIEWS_FROM, ...viewFilters(q), orderBy: 'started_at DESC, id', page: q.page, pageSize: q.pageSize, map: toView });
    },
  );

  app.get(
    '/api/stream-views/export.csv',
    { config: { access: STAFF }, schema: { tags, querystring: Type.Object({ q: PageQuery.q, ...ViewFilters }, { additionalProperties: false }), response: { ...errorResponses } } },
    async (request, reply) => {
      const q = request.query as ViewQuery;
      const { where, params } = viewFilters(q);
      const { rows } = await app.db.query(
        `SELECT * FROM ${VIEWS_FROM} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at DESC, id LIMIT ${CSV_MAX_ROWS}`,
        params,
      );
      const header = ['started_at', 'ended_at', 'seconds', 'user', 'phone', 'role', 'classroom', 'stream_id', 'ip', 'end_reason', 'user_agent'];
      const lines = rows.map((r) => {
        const end: Date = r.ended_at ?? r.last_seen_at;
        return [r.started_at.toISOString(), r.ended_at?.toISOString() ?? '', Math.round((end.getTime() - r.started_at.getTime()) / 1000), r.user_name, r.phone, r.user_role, r.classroom_name, r.stream_id, r.ip, r.end_reason ?? '', r.user_agent]
          .map(csvCell)
          .join(',');
      });
      await app.audit.write(request, { action: 'stream_views.export', details: { rows: rows.length, filters: q } });
      // The BOM makes spreadsheet programs read the Chinese names as UTF-8.
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="stream-views.csv"')
        .send(`\ufeff${[header.join(','), ...lines].join('\r\n')}\r\n`);
    },
  );
}
