// Live events to browsers over /api/ws. Publishing goes through Redis pub/sub so that any
// process (API server, queue workers) can publish and every API server fans out to its sockets.
// Sockets may also call methods: `{ id, method, params }` → `{ id, result }` | `{ id, error }`.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import { HttpError } from '../lib/http-error';
import type { Role } from '../lib/roles';
import type { Principal } from '../types';

export interface LiveAudience {
  roles?: readonly Role[];
  userIds?: readonly string[];
  teamIds?: readonly string[];
  /** Users bound to one of these sites (estate staff), e.g. the gate pushes of their own site. */
  siteIds?: readonly string[];
}

export interface LiveContext {
  socketId: string;
  principal: Principal;
  ip: string;
  send(message: unknown): void;
}

type MethodHandler = (ctx: LiveContext, params: unknown) => Promise<unknown>;
type DisconnectHandler = (ctx: LiveContext) => void | Promise<void>;

interface Envelope {
  topic: string;
  data: unknown;
  audience?: LiveAudience;
}

export const liveChannel = (prefix: string) => `${prefix}live`;

/** Publish from any process that has a Redis connection (workers use this directly). */
export async function publishLive(redis: Redis, prefix: string, topic: string, data: unknown, audience?: LiveAudience): Promise<void> {
  await redis.publish(liveChannel(prefix), JSON.stringify({ topic, data, audience } satisfies Envelope));
}

function audienceIncludes(audience: LiveAudience | undefined, p: Principal): boolean {
  if (!audience) return p.kind === 'user' && (p.role === 'admin' || p.role === 'operator');
  if (audience.roles?.includes(p.role)) return true;
  if (p.kind !== 'user') return false;
  if (audience.userIds?.includes(p.user.id)) return true;
  if (p.user.siteId && audience.siteIds?.includes(p.user.siteId)) return true;
  return Boolean(p.user.teamId && audience.teamIds?.includes(p.user.teamId));
}

export class LiveHub {
  private readonly sockets = new Map<string, { ws: WebSocket; ctx: LiveContext }>();
  private readonly methods = new Map<string, { roles: readonly Role[]; fn: MethodHandler }>();
  private readonly disconnectHandlers: DisconnectHandler[] = [];
  private readonly sub: Redis;
  private readonly pub: Redis;
  private pingTimer: NodeJS.Timeout | null = null;
  private pending: { env: Envelope; resolve: () => void; reject: (err: unknown) => void }[] = [];

  constructor(
    redisUrl: string,
    private readonly prefix: string,
    private readonly log: FastifyBaseLogger,
  ) {
    this.sub = new Redis(redisUrl, { lazyConnect: true });
    this.pub = new Redis(redisUrl, { lazyConnect: true });
    // ioredis reconnects by itself; without listeners its errors become unhandled events.
    for (const r of [this.sub, this.pub]) r.on('error', (err) => this.log.warn({ err: err.message }, 'live redis error'));
  }

  async start(): Promise<void> {
    await Promise.all([this.sub.connect(), this.pub.connect()]);
    await this.sub.subscribe(liveChannel(this.prefix));
    this.sub.on('message', (_channel, raw) => this.fanOut(raw));
    this.pingTimer = setInterval(() => {
      for (const { ws } of this.sockets.values()) ws.ping();
    }, 25_000);
    this.pingTimer.unref();
  }

  /**
   * Every event published in one event-loop turn leaves as ONE Redis message (an array of
   * envelopes): a burst — a batch of gate decisions, an alarm storm — costs one command, one
   * socket write and one message to each API server, not one per event. Resolves when its
   * batch is published.
   */
  publish(topic: string, data: unknown, audience?: LiveAudience): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.pending.push({ env: { topic, data, audience }, resolve, reject }) === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    const message = JSON.stringify(batch.length === 1 ? batch[0].env : batch.map((b) => b.env));
    this.pub.publish(liveChannel(this.prefix), message).then(
      () => batch.forEach((b) => b.resolve()),
      (err: unknown) => batch.forEach((b) => b.reject(err)),
    );
  }

  handle(method: string, roles: readonly Role[], fn: MethodHandler): void {
    if (this.methods.has(method)) throw new Error(`live method ${method} registered twice`);
    this.methods.set(method, { roles, fn });
  }

  onDisconnect(fn: DisconnectHandler): void {
    this.disconnectHandlers.push(fn);
  }

  get connectionCount(): number {
    return this.sockets.size;
  }

  attach(ws: WebSocket, principal: Principal, ip: string): void {
    const socketId = randomUUID();
    const ctx: LiveContext = {
      socketId,
      principal,
      ip,
      send: (message) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
      },
    };
    this.sockets.set(socketId, { ws, ctx });
    ctx.send({ type: 'hello', socketId, user: principal.kind === 'user' ? principal.user : null });
    ws.on('message', (raw, isBinary) => {
      if (isBinary) return ctx.send({ type: 'error', error: 'bad_message', message: 'Binary frames are not accepted' });
      void this.onMessage(ctx, raw.toString());
    });
    ws.on('close', () => {
      this.sockets.delete(socketId);
      for (const fn of this.disconnectHandlers) {
        Promise.resolve(fn(ctx)).catch((err) => this.log.warn({ err }, 'live disconnect handler failed'));
      }
    });
  }

  private async onMessage(ctx: LiveContext, raw: string): Promise<void> {
    let msg: { id?: unknown; method?: unknown; params?: unknown };
    try {
      msg = JSON.parse(raw);
    } catch {
      return ctx.send({ type: 'error', error: 'bad_json', message: 'Message is not valid JSON' });
    }
    const id = typeof msg.id === 'string' || typeof msg.id === 'number' ? msg.id : null;
    if (id === null || typeof msg.method !== 'string') {
      return ctx.send({ type: 'error', error: 'bad_message', message: 'Expected { id, method, params }' });
    }
    if (msg.method === 'ping') return ctx.send({ id, result: { now: Date.now() } });
    const entry = this.methods.get(msg.method);
    if (!entry) return ctx.send({ id, error: { error: 'unknown_method', message: `Unknown method ${msg.method}` } });
    if (!entry.roles.includes(ctx.principal.role)) return ctx.send({ id, error: { error: 'forbidden', message: 'You may not do this' } });
    try {
      ctx.send({ id, result: await entry.fn(ctx, msg.params ?? {}) });
    } catch (err) {
      if (err instanceof HttpError) return ctx.send({ id, error: { error: err.code, message: err.message } });
      this.log.error({ err, method: msg.method }, 'live method failed');
      ctx.send({ id, error: { error: 'internal', message: 'Internal server error' } });
    }
  }

  private fanOut(raw: string): void {
    if (this.sockets.size === 0) return; // nobody to tell: skip the parse and re-serialisation
    let parsed: Envelope | Envelope[];
    try {
      parsed = JSON.parse(raw);
    } catch {
      return;
    }
    // An array is one event-loop turn of a hub's publishes; other processes send single envelopes.
    for (const env of Array.isArray(parsed) ? parsed : [parsed]) {
      const message = JSON.stringify({ type: 'event', topic: env.topic, data: env.data });
      for (const { ws, ctx } of this.sockets.values()) {
        if (audienceIncludes(env.audience, ctx.principal) && ws.readyState === ws.OPEN) ws.send(message);
      }
    }
  }

  async close(): Promise<void> {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.flush(); // events published just before shutdown still go out, ahead of the QUIT
    for (const { ws } of this.sockets.values()) ws.close(1001, 'server shutting down');
    await Promise.all([this.sub.quit().catch(() => {}), this.pub.quit().catch(() => {})]);
  }
}
