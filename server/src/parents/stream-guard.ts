// The one gate in front of every stream: issues signed tokens (opening a view), checks them on
// every media request and WebRTC join, cuts playing views when hours end, a grant lapses, staff
// revoke, an incident leaves a patrol's team or the session goes, and purges old views. Every
// refusal is audited.
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from '../lib/http-error';
import type { Role } from '../lib/roles';
import type { Principal } from '../types';
import { StreamAccess, type Decision, type DenyReason } from './access';
import { systemClock, type Clock } from './clock';
import type { ParentSettings } from './settings';
import { StreamTokenSigner } from './stream-token';
import { ViewLog, type EndReason, type ViewRecord } from './views';

/** The media plugin's `authorize` answer for a refusal (same shape as media's AuthDenial). */
export interface StreamDenial {
  status: number;
  error: string;
  message: string;
}

export interface IssuedToken {
  token: string;
  expiresAt: string;
  /** Seconds until expiry by the server's clock: players schedule renewal from this, not from their own clock. */
  expiresIn: number;
  viewId: string;
  streamId: string;
  /** When the current opening interval (or grant) ends; null for staff. */
  allowedUntil: string | null;
}

/** A view the guard ended: whoever holds its media (a WebRTC consumer) must close it. */
export interface CutView {
  viewId: string;
  streamId: string;
  userId: string;
  sessionId: string;
  reason: EndReason;
}

/** Who asks, from where: an HTTP request, or a WebSocket (WebRTC signalling). */
export interface Caller {
  principal: Principal | null;
  ip: string;
  id?: string;
  url?: string;
}

const ACCESS_DENIALS: Record<DenyReason, { error: string; message: string }> = {
  no_grant: { error: 'no_access', message: 'You have no access to this stream' },
  revoked: { error: 'revoked', message: 'Access to this classroom was revoked' },
  grant_expired: { error: 'grant_expired', message: 'Your access to this classroom is not valid today' },
  closed: { error: 'closed', message: 'The classroom is closed now' },
  role: { error: 'forbidden', message: 'Your role may not watch streams' },
  not_assigned: { error: 'not_assigned', message: 'This camera is not on an open incident of your team' },
  not_your_site: { error: 'not_your_site', message: 'This camera is not a gate camera of your estate' },
};
const END_REASON: Record<DenyReason, EndReason> = { no_grant: 'revoked', revoked: 'revoked', grant_expired: 'grant_expired', closed: 'closed', role: 'revoked', not_assigned: 'revoked', not_your_site: 'revoked' };
const DENIAL_AUDIT_EVERY_MS = 10_000;
const asError = (d: StreamDenial) => new HttpError(d.status, d.error, d.message);

export class StreamGuard {
  private clock: Clock = systemClock;
  readonly access: StreamAccess;
  readonly views: ViewLog;
  private readonly signer: StreamTokenSigner;
  private readonly deniedRecently = new Map<string, number>();
  private timers: NodeJS.Timeout[] = [];
  private sweeping: Promise<void> | null = null;
  /** A sweep that has been asked for but not started: later callers share it. */
  private queuedSweep: Promise<void> | null = null;
  private readonly cutListeners = new Set<(cut: CutView) => void>();
  private readonly log: FastifyBaseLogger;

  constructor(
    private readonly app: FastifyInstance,
    readonly settings: ParentSettings,
  ) {
    this.access = new StreamAccess(app.db);
    this.views = new ViewLog(app.db, () => this.now());
    this.signer = new StreamTokenSigner(app.config.secretKey);
    this.log = app.log.child({ component: 'stream-guard' });
  }

  now(): Date {
    return this.clock();
  }

  /** Tests (and the demo) move time across opening hours. */
  setClock(clock: Clock): void {
    this.clock = clock;
    this.access.invalidate();
  }

  start(): void {
    const every = (ms: number, fn: () => Promise<unknown>, what: string) => {
      const t = setInterval(() => fn().catch((err) => this.log.error({ err }, `${what} failed`)), ms);
      t.unref();
      this.timers.push(t);
    };
    every(this.settings.sweepIntervalMs, () => this.sweep(), 'view sweep');
    every(this.settings.purgeIntervalMs, () => this.purge(), 'view purge');
    void this.purge().catch((err) => this.log.error({ err }, 'view purge failed'));
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.sweeping;
  }

  /** A token for one stream: opens a view, or renews `viewId` while it may still play. */
  async issue(request: FastifyRequest, streamId: string, viewId?: string): Promise<IssuedToken> {
    const p = request.principal;
    if (p?.kind !== 'user') throw new HttpError(401, 'unauthorized', 'Authentication required');
    const now = this.now();
    const decision = await this.access.decide({ id: p.user.id, role: p.role }, streamId, now);
    if (!decision.ok) {
      if (viewId) await this.cutOwnView(p, viewId, END_REASON[decision.reason]);
      throw asError(await this.refuse(request, streamId, { status: 403, ...ACCESS_DENIALS[decision.reason] }));
    }
    let id: string;
    if (viewId) {
      const view = await this.views.get(viewId);
      if (!view || view.userId !== p.user.id || view.sessionId !== p.sessionId || view.streamId !== streamId) {
        throw asError(await this.refuse(request, streamId, { status: 403, error: 'not_your_view', message: 'This view belongs to another session or stream' }));
      }
      if (view.ended) throw asError(await this.refuse(request, streamId, { status: 403, error: 'view_ended', message: 'This view has ended; start a new one' }));
      id = view.id;
      await this.views.touch(id);
    } else {
      id = await this.openView(request, p, streamId, decision);
    }
    const ttlEnd = now.getTime() + this.settings.tokenTtlSeconds * 1000;
    const exp = Math.ceil(Math.min(ttlEnd, decision.until?.getTime() ?? ttlEnd) / 1000);
    return {
      token: this.signer.sign({ u: p.user.id, sid: p.sessionId, s: streamId, v: id, exp }),
      expiresAt: new Date(exp * 1000).toISOString(),
      expiresIn: Math.max(0, Math.round((exp * 1000 - now.getTime()) / 1000)),
      viewId: id,
      streamId,
      allowedUntil: decision.until?.toISOString() ?? null,
    };
  }

  private async openView(request: FastifyRequest, p: Extract<Principal, { kind: 'user' }>, streamId: string, decision: Extract<Decision, { ok: true }>): Promise<string> {
    const { grantId, classroomId } = decision;
    const client = await this.app.db.connect();
    try {
      await client.query('BEGIN');
      // Serialise a parent's concurrent starts so two phones cannot both slip under the limit.
      await client.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [p.user.id]);
      if (p.role === 'parent' && (await this.views.countOpen(client, p.user.id, this.settings.viewLeaseSeconds)) >= this.settings.maxViewers) {
        throw asError(await this.refuse(request, streamId, {
          status: 429,
          error: 'too_many_viewers',
          message: `At most ${this.settings.maxViewers} streams may play at once on this account`,
        }));
      }
      const id = await this.views.open(client, {
        userId: p.user.id,
        role: p.role,
        sessionId: p.sessionId,
        streamId,
        grantId,
        classroomId,
        ip: request.ip,
        userAgent: String(request.headers['user-agent'] ?? ''),
      });
      await this.app.audit.write(request, { action: 'stream.view.start', targetType: 'stream', targetId: streamId, details: { viewId: id, classroomId, ...decision.details } }, client);
      await client.query('COMMIT');
      return id;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  /** The parent stops watching (page closed, pause for long). */
  async stopView(request: FastifyRequest, viewId: string): Promise<boolean> {
    const p = request.principal;
    if (p?.kind !== 'user') return false;
    const view = await this.views.get(viewId);
    if (!view || view.userId !== p.user.id) return false;
    if (await this.views.end(viewId, 'stopped')) await this.app.audit.write(request, { action: 'stream.view.end', targetType: 'stream', targetId: view.streamId, details: { viewId, reason: 'stopped' } });
    return true;
  }

  /** The media plugin's `authorize(request, streamId)`: true, or a refusal to send. */
  authorizeMedia(request: FastifyRequest, streamId: string): Promise<true | StreamDenial> {
    const header = request.headers['x-stream-token'];
    const query = (request.query as Record<string, unknown> | undefined)?.token;
    const token = typeof header === 'string' ? header : typeof query === 'string' ? query : undefined;
    return this.check({ principal: request.principal, ip: request.ip, id: request.id, url: request.url }, streamId, token);
  }

  /** Token check shared by media requests and WebRTC joins. */
  async check(caller: Caller, streamId: string, token: string | undefined): Promise<true | StreamDenial> {
    const now = this.now();
    if (!token) return this.refuse(caller, streamId, { status: 401, error: 'token_required', message: 'A stream token is required' });
    const verified = this.signer.verify(token, now);
    if (!verified.ok) {
      return this.refuse(caller, streamId, verified.error === 'expired'
        ? { status: 401, error: 'token_expired', message: 'The stream token has expired' }
        : { status: 401, error: 'token_invalid', message: 'The stream token is not valid' });
    }
    const c = verified.claims;
    if (c.s !== streamId) return this.refuse(caller, streamId, { status: 403, error: 'wrong_stream', message: 'The token is for another stream' });
    const p = caller.principal;
    if (p?.kind !== 'user') return this.refuse(caller, streamId, { status: 401, error: 'unauthorized', message: 'Authentication required' });
    if (p.user.id !== c.u || p.sessionId !== c.sid) return this.refuse(caller, streamId, { status: 403, error: 'not_your_token', message: 'The token was issued to another session' });
    const view = await this.views.get(c.v);
    if (!view || view.ended || view.userId !== c.u || view.streamId !== streamId) {
      return this.refuse(caller, streamId, { status: 403, error: 'view_ended', message: 'This view has ended' });
    }
    const decision = await this.access.decide({ id: p.user.id, role: p.role }, streamId, now);
    if (!decision.ok) {
      await this.cut(view, END_REASON[decision.reason]);
      return this.refuse(caller, streamId, { status: 403, ...ACCESS_DENIALS[decision.reason] });
    }
    await this.views.touch(view.id);
    return true;
  }

  /** Staff revoke a grant: it stops at once, on every phone that plays it. */
  async revokeGrant(request: FastifyRequest, grantId: string): Promise<boolean> {
    const { rowCount } = await this.app.db.query(`UPDATE parent_grants SET revoked_at = now(), invite_code_hash = NULL WHERE id = $1 AND revoked_at IS NULL`, [grantId]);
    if (!rowCount) return false;
    this.access.invalidate();
    await this.app.audit.write(request, { action: 'parent_grant.revoke', targetType: 'parent_grant', targetId: grantId });
    const open = await this.views.listOpen();
    for (const v of open.filter((x) => x.grantId === grantId)) await this.cut(v, 'revoked');
    // Views of the same parent under another grant of the classroom are re-checked by the sweep.
    await this.sweep();
    return true;
  }

  /** Called for every view cut by the guard (closing time, revocation, session gone); returns the unsubscribe. */
  onCut(listener: (cut: CutView) => void): () => void {
    this.cutListeners.add(listener);
    return () => this.cutListeners.delete(listener);
  }

  /** Something a decision depends on changed (schedule, camera link, enrolment, an incident's team). */
  changed(role?: Role): void {
    this.access.invalidate(role);
  }

  /** Access may have ended for someone now (an incident closed or left a team): cut at once, not at the next sweep. */
  recheck(role?: Role): Promise<void> {
    this.access.invalidate(role);
    return this.sweep();
  }

  /** Re-checks every playing view; cuts those that may no longer play. */
  sweep(): Promise<void> {
    // One sweep at a time; a caller during a sweep waits for it and then runs its own — shared
    // with everyone else who asks before it starts, so a burst of changes costs one more sweep.
    if (this.queuedSweep) return this.queuedSweep;
    // (A failed sweep — logged by its caller — must not stop the next one.)
    const run = (this.sweeping ?? Promise.resolve()).catch(() => {}).then(() => {
      this.queuedSweep = null;
      return this.sweepOnce();
    });
    const tracked = run.finally(() => {
      if (this.sweeping === tracked) this.sweeping = null;
    });
    this.sweeping = tracked;
    this.queuedSweep = tracked;
    return tracked;
  }

  private async sweepOnce(): Promise<void> {
    const now = this.now();
    const idleBefore = now.getTime() - this.settings.viewLeaseSeconds * 1000;
    for (const v of await this.views.listOpen()) {
      if (!v.sessionAlive) {
        await this.cut(v, 'session_ended');
        continue;
      }
      const decision = await this.access.decide({ id: v.userId, role: v.role }, v.streamId, now);
      if (!decision.ok) await this.cut(v, END_REASON[decision.reason]);
      else if (v.lastSeenAt.getTime() < idleBefore) await this.views.end(v.id, 'idle', v.lastSeenAt);
    }
  }

  /** Drops views and stream audit entries older than the retention. */
  async purge(): Promise<{ views: number; audit: number }> {
    const cutoff = new Date(this.now().getTime() - this.settings.retentionDays * 86_400_000);
    const views = await this.views.purge(cutoff);
    const { rowCount } = await this.app.db.query(`DELETE FROM audit_log WHERE at < $1 AND action LIKE 'stream.%'`, [cutoff]);
    return { views, audit: rowCount ?? 0 };
  }

  private async cutOwnView(p: Extract<Principal, { kind: 'user' }>, viewId: string, reason: EndReason): Promise<void> {
    const view = await this.views.get(viewId);
    if (view && view.userId === p.user.id && !view.ended) await this.cut(view, reason);
  }

  private async cut(view: ViewRecord, reason: EndReason): Promise<void> {
    if (!(await this.views.end(view.id, reason))) return;
    await this.app.audit.write(null, { action: 'stream.view.end', targetType: 'stream', targetId: view.streamId, details: { viewId: view.id, userId: view.userId, reason } });
    await this.app.live.publish('stream.revoked', { viewId: view.id, streamId: view.streamId, reason }, { userIds: [view.userId] });
    for (const listener of this.cutListeners) {
      try {
        listener({ viewId: view.id, streamId: view.streamId, userId: view.userId, sessionId: view.sessionId, reason });
      } catch (err) {
        this.log.error({ err }, 'cut listener failed');
      }
    }
  }

  /** Audits a refusal (repeats of the same one are folded for a few seconds) and returns it. */
  private async refuse(caller: Caller, streamId: string, denial: StreamDenial): Promise<StreamDenial> {
    const p = caller.principal;
    const who = p?.kind === 'user' ? p.user.id : '-';
    const key = `${caller.ip}|${who}|${streamId}|${denial.error}`;
    const last = this.deniedRecently.get(key);
    if (last === undefined || Date.now() - last > DENIAL_AUDIT_EVERY_MS) {
      if (this.deniedRecently.size > 10_000) this.deniedRecently.clear();
      this.deniedRecently.set(key, Date.now());
      const path = caller.url?.split('?')[0];
      await this.app.audit.write(caller as unknown as FastifyRequest, {
        action: 'stream.denied',
        targetType: 'stream',
        targetId: streamId.slice(0, 128),
        outcome: 'denied',
        details: { reason: denial.error, ...(path ? { path: path.slice(0, 300) } : {}) },
      });
    }
    return denial;
  }
}
