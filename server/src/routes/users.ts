import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { toSessionUser } from '../plugins/auth';
import { badRequest, conflict, notFound } from '../lib/http-error';
import { hashPassword } from '../lib/passwords';
import { USER_ROLES } from '../lib/roles';
import { errorResponses, IdParams, Name, Page, PageQuery, Uuid } from '../lib/schemas';
import { deleteById, isForeignKeyViolation, isUniqueViolation, paginate, updatePartial, whereFrom } from '../lib/sql';
import { UserSchema } from './auth';

const Role = Type.Union(USER_ROLES.map((r) => Type.Literal(r)));
const Username = Type.String({ minLength: 2, maxLength: 40, pattern: '^[A-Za-z0-9_.-]+$' });
const Phone = Type.String({ pattern: '^\\+?[0-9]{6,15}$' });
const Password = Type.String({ minLength: 8, maxLength: 128 });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const CreateUser = Type.Object(
  {
    username: Username,
    displayName: Name,
    password: Password,
    role: Role,
    teamId: Type.Optional(Nullable(Uuid)),
    /** The estate an `estate` user works at (required for that role, null for the others). */
    siteId: Type.Optional(Nullable(Uuid)),
    phone: Type.Optional(Nullable(Phone)),
    locale: Type.Optional(Type.Union([Type.Literal('zh-CN'), Type.Literal('en')])),
  },
  { additionalProperties: false },
);
const PatchUser = Type.Partial(
  Type.Object(
    {
      displayName: Name,
      password: Password,
      role: Role,
      teamId: Nullable(Uuid),
      siteId: Nullable(Uuid),
      phone: Nullable(Phone),
      locale: Type.Union([Type.Literal('zh-CN'), Type.Literal('en')]),
      disabled: Type.Boolean(),
    },
    { additionalProperties: false },
  ),
  { minProperties: 1 },
);
const UserOut = Type.Intersect([UserSchema, Type.Object({ disabled: Type.Boolean(), createdAt: Type.String() })]);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const toUser = (r: any) => ({ ...toSessionUser(r), disabled: r.disabled, createdAt: r.created_at.toISOString() });

const isCheckViolation = (err: unknown) => (err as { code?: string } | null)?.code === '23514';

function translateDbError(err: unknown): never {
  if (isUniqueViolation(err)) throw conflict('Username or phone already in use');
  if (isForeignKeyViolation(err)) throw badRequest('Unknown team or site', 'validation');
  // users_site_for_estate: the site is required for `estate` and not allowed for other roles.
  if (isCheckViolation(err)) throw badRequest('An estate account needs siteId; other roles take none', 'validation');
  throw err;
}

export default async function userRoutes(app: FastifyInstance) {
  const admin = { access: ['admin'] as const };

  app.get(
    '/api/users',
    {
      config: admin,
      schema: {
        tags: ['users'],
        querystring: Type.Object({ ...PageQuery, role: Type.Optional(Role), teamId: Type.Optional(Uuid), siteId: Type.Optional(Uuid) }, { additionalProperties: false }),
        response: { 200: Page(UserOut), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query as { page?: number; pageSize?: number; q?: string; role?: string; teamId?: string; siteId?: string };
      const { where, params } = whereFrom(
        [
          [q.role, 'role = $N'],
          [q.teamId, 'team_id = $N'],
          [q.siteId, 'site_id = $N'],
        ],
        { text: q.q, columns: ['username', 'display_name', 'phone'] },
      );
      return paginate(app.db, { from: 'users', where, params, orderBy: 'created_at DESC, id', page: q.page, pageSize: q.pageSize, map: toUser });
    },
  );

  app.post('/api/users', { config: admin, schema: { tags: ['users'], body: CreateUser, response: { 201: UserOut, ...errorResponses } } }, async (request, reply) => {
    const b = request.body as Static<typeof CreateUser>;
    const row = await app.db
      .query(
        `INSERT INTO users (username, display_name, password_hash, role, team_id, site_id, phone, locale) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
        [b.username, b.displayName, await hashPassword(b.password), b.role, b.teamId ?? null, b.siteId ?? null, b.phone ?? null, b.locale ?? 'zh-CN'],
      )
      .then((r) => r.rows[0], translateDbError);
    await app.audit.write(request, { action: 'user.create', targetType: 'user', targetId: row.id, details: { username: b.username, role: b.role } });
    return reply.status(201).send(toUser(row));
  });

  app.get('/api/users/:id', { config: admin, schema: { tags: ['users'], params: IdParams, response: { 200: UserOut, ...errorResponses } } }, async (request) => {
    const { id } = request.params as { id: string };
    const { rows } = await app.db.query('SELECT * FROM users WHERE id = $1', [id]);
    if (!rows[0]) throw notFound('User');
    return toUser(rows[0]);
  });

  app.patch('/api/users/:id', { config: admin, schema: { tags: ['users'], params: IdParams, body: PatchUser, response: { 200: UserOut, ...errorResponses } } }, async (request) => {
    const { id } = request.params as { id: string };
    const b = { ...(request.body as Static<typeof PatchUser>) } as Record<string, unknown>;
    if (typeof b.password === 'string') b.password = await hashPassword(b.password);
    const row = await updatePartial(
      app.db,
      'users',
      id,
      b,
      { displayName: 'display_name', password: 'password_hash', role: 'role', teamId: 'team_id', siteId: 'site_id', phone: 'phone', locale: 'locale', disabled: 'disabled' },
      'User',
    ).catch(translateDbError);
    // A reset password, a disabled account or a new role or site ends the user's sessions.
    if (b.password !== undefined || b.disabled === true || b.role !== undefined || b.siteId !== undefined) await app.db.query('DELETE FROM sessions WHERE user_id = $1', [id]);
    await app.audit.write(request, { action: 'user.update', targetType: 'user', targetId: id, details: { fields: Object.keys(b) } });
    return toUser(row);
  });

  app.delete('/api/users/:id', { config: admin, schema: { tags: ['users'], params: IdParams, response: { 204: Type.Null(), ...errorResponses } } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const p = request.principal;
    if (p?.kind === 'user' && p.user.id === id) throw badRequest('You cannot delete your own account');
    await deleteById(app.db, 'users', id, 'User');
    await app.audit.write(request, { action: 'user.delete', targetType: 'user', targetId: id });
    return reply.status(204).send();
  });
}
