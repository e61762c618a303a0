// Parent accounts and grants. Staff invite a parent from an enrolment (a one-time code), revoke
// grants and issue password-reset codes; the parent redeems the code with their phone number
// and a password of their choosing, then logs in through /api/auth/login with the phone.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { badRequest, conflict, HttpError, notFound } from '../lib/http-error';
import { hashPassword, verifyPassword } from '../lib/passwords';
import { errorResponses, IdParams, Name, Page, PageQuery, Uuid } from '../lib/schemas';
import { isUniqueViolation, paginate, whereFrom } from '../lib/sql';
import { newToken } from '../lib/tokens';
import { loadSchedules } from '../parents/access';
import { codeHash, newCode } from '../parents/codes';
import { localDate, openingState } from '../parents/schedule';
import { streamIdOf } from '../streams/stream-ids';
import { Day, STAFF } from './classrooms';

const Phone = Type.String({ pattern: '^\\+?[0-9]{6,15}$' });
const Password = Type.String({ minLength: 8, maxLength: 128 });
const Code = Type.String({ minLength: 6, maxLength: 20, pattern: '^[A-Za-z0-9 -]+$' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const InviteBody = Type.Object({ validFrom: Type.Optional(Day), validTo: Type.Optional(Day) }, { additionalProperties: false });
const Invitation = Type.Object({ grantId: Type.String(), code: Type.String(), expiresAt: Type.String() });
const GrantOut = Type.Object({
  id: Type.String(),
  enrolmentId: Type.String(),
  childName: Type.String(),
  classroomId: Type.String(),
  classroomName: Type.String(),
  parent: Type.Union([Type.Object({ id: Type.String(), displayName: Type.String(), phone: Nullable(Type.String()) }), Type.Null()]),
  status: Type.Union(['invited', 'invite_expired', 'active', 'revoked'].map((s) => Type.Literal(s))),
  validFrom: Type.String(),
  validTo: Type.String(),
  inviteExpiresAt: Nullable(Type.String()),
  createdAt: Type.String(),
});
const RedeemBody = Type.Object({ code: Code, phone: Phone, displayName: Name, password: Password }, { additionalProperties: false });
const ResetBody = Type.Object({ code: Code, phone: Phone, password: Password }, { additionalProperties: false });

const Interval = Nullable(Type.String());
const MyClassroom = Type.Object({
  id: Type.String(),
  name: Type.String(),
  siteName: Type.String(),
  timezone: Type.String(),
  children: Type.Array(Type.String()),
  open: Type.Boolean(),
  closesAt: Interval,
  nextOpensAt: Interval,
  nextClosesAt: Interval,
  note: Interval,
  weekly: Type.Array(Type.Object({ weekday: Type.Integer(), opens: Type.String(), closes: Type.String() })),
  exceptions: Type.Array(Type.Object({ day: Type.String(), closed: Type.Boolean(), opens: Interval, closes: Interval, note: Type.String() })),
  streams: Type.Array(Type.Object({ streamId: Type.String(), name: Type.String() })),
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = any;
const iso = (d: Date | null) => d?.toISOString() ?? null;

function grantStatus(r: Row, now: Date): string {
  if (r.revoked_at) return 'revoked';
  if (r.parent_user_id) return 'active';
  return r.invite_expires_at && r.invite_expires_at > now ? 'invited' : 'invite_expired';
}

/** Wrong codes are counted per address like failed logins; over the limit the answer is 429. */
class CodeLimiter {
  constructor(private readonly app: FastifyInstance) {}
  private key(ip: string) {
    return `${this.app.config.redisPrefix}parent-code:fail:${ip}`;
  }
  async assertAllowed(ip: string): Promise<void> {
    const n = Number((await this.app.redis.get(this.key(ip))) ?? 0);
    if (n >= this.app.config.login.maxFailuresPerAccount * 2) throw new HttpError(429, 'rate_limited', 'Too many wrong codes; try again later');
  }
  async fail(ip: string): Promise<void> {
    await this.app.redis.multi().incr(this.key(ip)).expire(this.key(ip), this.app.config.login.windowSeconds).exec();
  }
}

export default async function parentRoutes(app: FastifyInstance) {
  const tags = ['parents'];
  const staff = { access: STAFF };
  const limiter = new CodeLimiter(app);
  const codeTtlMs = () => app.parents.settings.codeTtlHours * 3_600_000;

  app.post(
    '/api/enrolments/:id/invitations',
    { config: staff, schema: { tags, params: IdParams, body: InviteBody, response: { 201: Invitation, ...errorResponses } } },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const b = request.body as Static<typeof InviteBody>;
      const { rows } = await app.db.query(`SELECT valid_from::text AS valid_from, valid_to::text AS valid_to FROM enrolments WHERE id = $1`, [id]);
      const e = rows[0];
      if (!e) throw notFound('Enrolment');
      const validFrom = b.validFrom ?? e.valid_from;
      const validTo = b.validTo ?? e.valid_to;
      if (validTo < validFrom) throw badRequest('validTo must not be before validFrom', 'validation');
      const code = newCode();
      const expiresAt = new Date(Date.now() + codeTtlMs());
      const created = await app.db.query(
        `INSERT INTO parent_grants (enrolment_id, invite_code_hash, invite_expires_at, valid_from, valid_to, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [id, codeHash(code), expiresAt, validFrom, validTo, request.principal?.kind === 'user' ? request.principal.user.id : null],
      );
      await app.audit.write(request, { action: 'parent_grant.invite', targetType: 'parent_grant', targetId: created.rows[0].id, details: { enrolmentId: id } });
      return reply.status(201).send({ grantId: created.rows[0].id, code, expiresAt: expiresAt.toISOString() });
    },
  );

  app.get(
    '/api/parent-grants',
    {
      config: staff,
      schema: {
        tags,
        querystring: Type.Object({ ...PageQuery, classroomId: Type.Optional(Uuid), enrolmentId: Type.Optional(Uuid), parentUserId: Type.Optional(Uuid) }, { additionalProperties: false }),
        response: { 200: Page(GrantOut), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query as { page?: number; pageSize?: number; q?: string; classroomId?: string; enrolmentId?: string; parentUserId?: string };
      const { where, params } = whereFrom(
        [
          [q.classroomId, 'classroom_id = $N'],
          [q.enrolmentId, 'enrolment_id = $N'],
          [q.parentUserId, 'parent_user_id = $N'],
        ],
        { text: q.q, columns: ['child_name', 'parent_name', 'parent_phone'] },
      );
      const now = new Date();
      return paginate(app.db, {
        from: `(SELECT g.*, g.valid_from::text AS from_day, g.valid_to::text AS to_day, e.child_name, e.classroom_id, c.name AS classroom_name,
                       u.display_name AS parent_name, u.phone AS parent_phone
                  FROM parent_grants g JOIN enrolments e ON e.id = g.enrolment_id JOIN classrooms c ON c.id = e.classroom_id
                  LEFT JOIN users u ON u.id = g.parent_user_id) grants`,
        where,
        params,
        orderBy: 'created_at DESC, id',
        page: q.page,
        pageSize: q.pageSize,
        map: (r: Row) => ({
          id: r.id,
          enrolmentId: r.enrolment_id,
          childName: r.child_name,
          classroomId: r.classroom_id,
          classroomName: r.classroom_name,
          parent: r.parent_user_id ? { id: r.parent_user_id, displayName: r.parent_name, phone: r.parent_phone } : null,
          status: grantStatus(r, now),
          validFrom: r.from_day,
          validTo: r.to_day,
          inviteExpiresAt: r.parent_user_id ? null : iso(r.invite_expires_at),
          createdAt: r.created_at.toISOString(),
        }),
      });
    },
  );

  app.post('/api/parent-grants/:id/revoke', { config: staff, schema: { tags, params: IdParams, response: { 204: Type.Null(), ...errorResponses } } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const { rowCount } = await app.db.query('SELECT 1 FROM parent_grants WHERE id = $1', [id]);
    if (!rowCount) throw notFound('Grant');
    await app.parents.revokeGrant(request, id);
    return reply.status(204).send();
  });

  app.post('/api/parent-accounts/:id/reset-code', { config: staff, schema: { tags, params: IdParams, response: { 201: Type.Object({ code: Type.String(), expiresAt: Type.String() }), ...errorResponses } } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const { rowCount } = await app.db.query(`SELECT 1 FROM users WHERE id = $1 AND role = 'parent'`, [id]);
    if (!rowCount) throw notFound('Parent account');
    const code = newCode();
    const expiresAt = new Date(Date.now() + codeTtlMs());
    await app.db.query(
      `INSERT INTO parent_reset_codes (user_id, code_hash, expires_at, created_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id) DO UPDATE SET code_hash = EXCLUDED.code_hash, expires_at = EXCLUDED.expires_at, created_by = EXCLUDED.created_by, created_at = now()`,
      [id, codeHash(code), expiresAt, request.principal?.kind === 'user' ? request.principal.user.id : null],
    );
    // The old password (perhaps known to someone else) stops working now: sessions end, streams stop.
    await app.db.query('UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1', [id, await hashPassword(newToken())]);
    await app.db.query('DELETE FROM sessions WHERE user_id = $1', [id]);
    await app.parents.sweep();
    await app.audit.write(request, { action: 'parent.reset_code', targetType: 'user', targetId: id });
    return reply.status(201).send({ code, expiresAt: expiresAt.toISOString() });
  });

  const codeRoute = (request: FastifyRequest) => limiter.assertAllowed(request.ip);
  const wrongCode = async (request: FastifyRequest, action: string, details: Record<string, unknown>): Promise<never> => {
    await limiter.fail(request.ip);
    await app.audit.write(request, { action, outcome: 'denied', details });
    throw new HttpError(400, 'invalid_code', 'The code is wrong, used or expired');
  };

  app.post(
    '/api/parents/redeem',
    { config: { access: 'public' }, bodyLimit: 4096, schema: { tags, body: RedeemBody, response: { 201: Type.Object({ phone: Type.String(), childName: Type.String(), classroomName: Type.String() }), ...errorResponses, 429: errorResponses[400] } } },
    async (request, reply) => {
      await codeRoute(request);
      const b = request.body as Static<typeof RedeemBody>;
      const client = await app.db.connect();
      try {
        await client.query('BEGIN');
        const { rows } = await client.query(
          `SELECT g.id, e.child_name, c.name AS classroom_name FROM parent_grants g JOIN enrolments e ON e.id = g.enrolment_id JOIN classrooms c ON c.id = e.classroom_id
            WHERE g.invite_code_hash = $1 AND g.parent_user_id IS NULL AND g.revoked_at IS NULL AND g.invite_expires_at > now() FOR UPDATE OF g`,
          [codeHash(b.code)],
        );
        const grant = rows[0];
        if (!grant) {
          await client.query('ROLLBACK');
          return await wrongCode(request, 'parent.redeem', { phone: b.phone });
        }
        const existing = (await client.query(`SELECT id, role, password_hash FROM users WHERE phone = $1`, [b.phone])).rows[0];
        let userId: string;
        if (existing) {
          // A second child: the same account, proven by its password.
          if (existing.role !== 'parent' || !(await verifyPassword(existing.password_hash, b.password))) {
            await client.query('ROLLBACK');
            throw conflict('This phone number already has an account; enter its password to add another child');
          }
          userId = existing.id;
        } else {
          const created = await client
            .query(`INSERT INTO users (username, display_name, password_hash, role, phone) VALUES ($1, $2, $3, 'parent', $4) RETURNING id`, [
              `p${b.phone.replace('+', '')}`,
              b.displayName,
              await hashPassword(b.password),
              b.phone,
            ])
            .catch((err) => {
              if (isUniqueViolation(err)) throw conflict('An account with this phone number already exists');
              throw err;
            });
          userId = created.rows[0].id;
        }
        await client.query(`UPDATE parent_grants SET parent_user_id = $2, redeemed_at = now(), invite_code_hash = NULL WHERE id = $1`, [grant.id, userId]);
        request.principal = null;
        await app.audit.write(request, { action: 'parent.redeem', targetType: 'parent_grant', targetId: grant.id, details: { userId } }, client);
        await client.query('COMMIT');
        app.parents.changed();
        return reply.status(201).send({ phone: b.phone, childName: grant.child_name, classroomName: grant.classroom_name });
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
  );

  app.post(
    '/api/parents/reset-password',
    { config: { access: 'public' }, bodyLimit: 4096, schema: { tags, body: ResetBody, response: { 204: Type.Null(), ...errorResponses, 429: errorResponses[400] } } },
    async (request, reply) => {
      await codeRoute(request);
      const b = request.body as Static<typeof ResetBody>;
      const { rows } = await app.db.query(
        `DELETE FROM parent_reset_codes r USING users u
          WHERE r.user_id = u.id AND u.phone = $1 AND r.code_hash = $2 AND r.expires_at > now() RETURNING u.id`,
        [b.phone, codeHash(b.code)],
      );
      if (!rows[0]) return wrongCode(request, 'parent.reset_password', { phone: b.phone });
      await app.db.query('UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1', [rows[0].id, await hashPassword(b.password)]);
      await app.db.query('DELETE FROM sessions WHERE user_id = $1', [rows[0].id]);
      await app.redis.del(`${app.config.redisPrefix}login:fail:acct:${b.phone.toLowerCase()}`);
      await app.audit.write(request, { action: 'parent.reset_password', targetType: 'user', targetId: rows[0].id });
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/parents/me',
    { config: { access: ['parent'] }, schema: { tags, response: { 200: Type.Object({ serverTime: Type.String(), classrooms: Type.Array(MyClassroom) }), ...errorResponses } } },
    async (request) => {
      const p = request.principal!;
      const userId = p.kind === 'user' ? p.user.id : '';
      const now = app.parents.now();
      const { rows } = await app.db.query(
        `SELECT c.id, c.name, s.name AS site_name, s.timezone, e.child_name,
                greatest(g.valid_from, e.valid_from)::text AS valid_from, least(g.valid_to, e.valid_to)::text AS valid_to
           FROM parent_grants g JOIN enrolments e ON e.id = g.enrolment_id JOIN classrooms c ON c.id = e.classroom_id JOIN sites s ON s.id = c.site_id
          WHERE g.parent_user_id = $1 AND g.revoked_at IS NULL ORDER BY c.name, e.child_name`,
        [userId],
      );
      const current = rows.filter((r) => {
        const today = localDate(now, r.timezone);
        return r.valid_from <= today && today <= r.valid_to;
      });
      const ids = [...new Set(current.map((r) => r.id as string))];
      const [schedules, cameras] = await Promise.all([
        loadSchedules(app.db, ids),
        app.db.query(`SELECT cc.classroom_id, k.id, k.name FROM classroom_cameras cc JOIN cameras k ON k.id = cc.camera_id WHERE cc.classroom_id = ANY($1) ORDER BY k.name`, [ids]),
      ]);
      const classrooms = ids.map((id) => {
        const first = current.find((r) => r.id === id)!;
        const schedule = schedules.get(id)!;
        const state = openingState({ timezone: first.timezone, ...schedule }, now);
        const today = localDate(now, first.timezone);
        return {
          id,
          name: first.name,
          siteName: first.site_name,
          timezone: first.timezone,
          children: current.filter((r) => r.id === id).map((r) => r.child_name),
          open: state.open,
          closesAt: iso(state.current?.closes ?? null),
          nextOpensAt: iso(state.next?.opens ?? null),
          nextClosesAt: iso(state.next?.closes ?? null),
          note: state.note,
          weekly: schedule.weekly.map((s) => ({ weekday: s.weekday, opens: s.opens.slice(0, 5), closes: s.closes.slice(0, 5) })),
          exceptions: schedule.exceptions
            .filter((e) => e.day >= today)
            .slice(0, 10)
            .map((e) => ({ day: e.day, closed: e.closed, opens: e.opens?.slice(0, 5) ?? null, closes: e.closes?.slice(0, 5) ?? null, note: e.note })),
          // Outside hours the page shows the schedule only: stream ids are not handed out. Phones get the sub stream.
          streams: state.open ? cameras.rows.filter((c) => c.classroom_id === id).map((c) => ({ streamId: streamIdOf(c.id, 'sub'), name: c.name })) : [],
        };
      });
      return { serverTime: now.toISOString(), classrooms };
    },
  );
}
