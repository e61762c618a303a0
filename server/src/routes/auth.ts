// Password login → httpOnly session cookie. Failed attempts are counted per account and per
// address in Redis; over the limit the answer is 429 even for the right password.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { SESSION_COOKIE, toSessionUser } from '../plugins/auth';
import { HttpError, unauthorized } from '../lib/http-error';
import { DUMMY_HASH, verifyPassword } from '../lib/passwords';
import { ANY_USER } from '../lib/roles';
import { ErrorBody } from '../lib/schemas';
import { newToken, sha256 } from '../lib/tokens';

export const UserSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  role: Type.String(),
  teamId: Type.Union([Type.String(), Type.Null()]),
  siteId: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  locale: Type.String(),
});

const LoginBody = Type.Object(
  {
    // Username or phone number; parents log in with their phone.
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);

class LoginLimiter {
  constructor(private readonly app: FastifyInstance) {}

  private keys(account: string, ip: string) {
    const p = this.app.config.redisPrefix;
    return { account: `${p}login:fail:acct:${account.toLowerCase()}`, ip: `${p}login:fail:ip:${ip}` };
  }

  async assertAllowed(account: string, ip: string): Promise<void> {
    const k = this.keys(account, ip);
    const [a, i] = await this.app.redis.mget(k.account, k.ip);
    const { maxFailuresPerAccount, maxFailuresPerAddress } = this.app.config.login;
    if (Number(a ?? 0) >= maxFailuresPerAccount || Number(i ?? 0) >= maxFailuresPerAddress) {
      throw new HttpError(429, 'rate_limited', 'Too many failed logins; try again later or ask staff to reset the password');
    }
  }

  async fail(account: string, ip: string): Promise<void> {
    const k = this.keys(account, ip);
    const ttl = this.app.config.login.windowSeconds;
    await this.app.redis.multi().incr(k.account).expire(k.account, ttl).incr(k.ip).expire(k.ip, ttl).exec();
  }

  async succeed(account: string): Promise<void> {
    await this.app.redis.del(this.keys(account, '').account);
  }
}

export default async function authRoutes(app: FastifyInstance) {
  const limiter = new LoginLimiter(app);

  app.post(
    '/api/auth/login',
    {
      config: { access: 'public' },
      bodyLimit: 4096,
      schema: { tags: ['auth'], body: LoginBody, response: { 200: Type.Object({ user: UserSchema }), 401: ErrorBody, 429: ErrorBody } },
    },
    async (request, reply) => {
      const { username, password } = request.body as { username: string; password: string };
      await limiter.assertAllowed(username, request.ip);
      const { rows } = await app.db.query(
        `SELECT * FROM users WHERE (lower(username) = lower($1) OR phone = $1) AND NOT disabled`,
        [username],
      );
      const row = rows[0];
      const ok = await verifyPassword(row?.password_hash ?? DUMMY_HASH, password);
      if (!row || !ok) {
        await limiter.fail(username, request.ip);
        await app.audit.write(request, { action: 'auth.login', targetType: 'user', targetId: row?.id ?? null, outcome: 'denied', details: { username } });
        throw new HttpError(401, 'invalid_credentials', 'Wrong username or password');
      }
      await limiter.succeed(username);
      const token = newToken();
      const ttl = app.config.sessionTtlSeconds;
      await app.db.query(
        `INSERT INTO sessions (token_hash, user_id, expires_at, ip, user_agent) VALUES ($1, $2, now() + make_interval(secs => $3), $4, $5)`,
        [sha256(token), row.id, ttl, request.ip, String(request.headers['user-agent'] ?? '').slice(0, 300)],
      );
      const user = toSessionUser(row);
      request.principal = { kind: 'user', role: user.role, user, sessionId: '' };
      await app.audit.write(request, { action: 'auth.login', targetType: 'user', targetId: user.id });
      reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: app.config.cookieSecure, maxAge: ttl });
      return { user };
    },
  );

  app.post('/api/auth/logout', { config: { access: ANY_USER }, schema: { tags: ['auth'] } }, async (request: FastifyRequest, reply) => {
    const p = request.principal;
    if (p?.kind !== 'user') throw unauthorized();
    await app.db.query('DELETE FROM sessions WHERE id = $1', [p.sessionId]);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  app.get(
    '/api/auth/me',
    { config: { access: ANY_USER }, schema: { tags: ['auth'], response: { 200: Type.Object({ user: UserSchema }), 401: ErrorBody } } },
    async (request) => {
      const p = request.principal;
      if (p?.kind !== 'user') throw unauthorized();
      return { user: p.user };
    },
  );
}
