import type { ApiErrorBody } from './types';
import { ApiError } from './errors';

export type LiveState = 'idle' | 'connecting' | 'open' | 'reconnecting';

export interface LiveSocketOptions {
  /** Absolute ws:// or wss:// URL. */
  url: string;
  /** Injected so the class runs under Node in tests (the `ws` package) as well as in browsers. */
  WebSocket?: typeof WebSocket;
  minDelayMs?: number;
  maxDelayMs?: number;
  requestTimeoutMs?: number;
  /** How often to ping the server; an unanswered ping drops the connection. 0 turns it off. */
  heartbeatMs?: number;
  random?: () => number;
}

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

type Listener<T> = (value: T) => void;

/**
 * The app's one WebSocket to `/api/ws`. It reconnects by itself with capped, jittered
 * exponential backoff until stop(); requests are `{ id, method, params }` answered by
 * `{ id, result }` or `{ id, error }`; pushes are `{ type: 'event', topic, data }`.
 * Requests made while disconnected fail at once rather than queue: callers decide whether to retry.
 * A heartbeat (`ping` method) finds connections that died without a close — a phone changing
 * networks — which the browser itself may not notice for minutes.
 */
export class LiveSocket {
  private ws: WebSocket | null = null;
  private running = false;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private heartbeatTimer: ReturnType<typeof setInterval> | null = null;
  private nextId = 1;
  private readonly pending = new Map<string, Pending>();
  private readonly topics = new Map<string, Set<Listener<unknown>>>();
  private readonly stateListeners = new Set<Listener<LiveState>>();
  private currentState: LiveState = 'idle';
  private readonly WS: typeof WebSocket;
  private readonly minDelay: number;
  private readonly maxDelay: number;
  private readonly requestTimeout: number;
  private readonly heartbeat: number;
  private readonly random: () => number;

  constructor(private readonly opts: LiveSocketOptions) {
    this.WS = opts.WebSocket ?? globalThis.WebSocket;
    this.minDelay = opts.minDelayMs ?? 500;
    this.maxDelay = opts.maxDelayMs ?? 30_000;
    this.requestTimeout = opts.requestTimeoutMs ?? 10_000;
    this.heartbeat = opts.heartbeatMs ?? 20_000;
    this.random = opts.random ?? Math.random;
  }

  get state(): LiveState {
    return this.currentState;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempt = 0;
    this.open();
  }

  stop(): void {
    this.running = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.ws) this.drop(this.ws, 'socket stopped');
    this.setState('idle');
  }

  /** Calls a server method; rejects with ApiError on `{ error }`, timeout or disconnect. */
  request<T = unknown>(method: string, params?: unknown): Promise<T> {
    const ws = this.ws;
    if (!ws || ws.readyState !== this.WS.OPEN) return Promise.reject(new ApiError(0, 'disconnected', 'live connection is not open'));
    const id = String(this.nextId++);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ApiError(0, 'timeout', `${method} timed out`));
      }, this.requestTimeout);
      this.pending.set(id, { resolve: resolve as (r: unknown) => void, reject, timer });
      ws.send(JSON.stringify({ id, method, params: params ?? {} }));
    });
  }

  /** Listens to pushed events of one topic; returns the unsubscribe function. */
  subscribe<T = unknown>(topic: string, listener: Listener<T>): () => void {
    let set = this.topics.get(topic);
    if (!set) this.topics.set(topic, (set = new Set()));
    set.add(listener as Listener<unknown>);
    return () => {
      set.delete(listener as Listener<unknown>);
      if (set.size === 0) this.topics.delete(topic);
    };
  }

  onState(listener: Listener<LiveState>): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Delay before reconnect attempt n (1-based): min·2^(n-1), capped, with ±25 % jitter. */
  backoffDelay(n: number): number {
    const base = Math.min(this.maxDelay, this.minDelay * 2 ** Math.max(0, n - 1));
    return Math.round(base * (0.75 + this.random() * 0.5));
  }

  private open(): void {
    this.setState(this.attempt === 0 ? 'connecting' : 'reconnecting');
    let ws: WebSocket;
    try {
      ws = new this.WS(this.opts.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.setState('open');
      if (this.heartbeat > 0) this.heartbeatTimer = setInterval(() => this.request('ping').catch(() => this.lost(ws)), this.heartbeat);
    };
    ws.onmessage = (ev: MessageEvent) => this.handleMessage(ev.data);
    // 'error' is always followed by 'close'; reconnecting from close alone avoids doing it twice.
    ws.onerror = () => {};
    ws.onclose = () => this.lost(ws);
  }

  /** The connection failed or went silent: forget it and try again. */
  private lost(ws: WebSocket): void {
    if (this.ws !== ws) return;
    this.drop(ws, 'connection lost');
    if (this.running) this.scheduleReconnect();
  }

  /** Detaches from a socket at once; a dead connection's close handshake may never finish. */
  private drop(ws: WebSocket, reason: string): void {
    this.ws = null;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    if (ws.readyState === this.WS.OPEN || ws.readyState === this.WS.CONNECTING) ws.close(1000);
    this.failPending(reason);
  }

  private scheduleReconnect(): void {
    this.attempt += 1;
    this.setState('reconnecting');
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.running) this.open();
    }, this.backoffDelay(this.attempt));
  }

  private handleMessage(raw: unknown): void {
    let msg: unknown;
    try {
      msg = JSON.parse(typeof raw === 'string' ? raw : String(raw));
    } catch {
      return; // Not ours to crash on: a malformed frame is dropped.
    }
    if (typeof msg !== 'object' || msg === null) return;
    const m = msg as { id?: unknown; type?: unknown; topic?: unknown; data?: unknown; result?: unknown; error?: ApiErrorBody };
    if (m.type === 'event' && typeof m.topic === 'string') {
      for (const l of this.topics.get(m.topic) ?? []) l(m.data);
      return;
    }
    if (m.id === undefined) return;
    const p = this.pending.get(String(m.id));
    if (!p) return;
    this.pending.delete(String(m.id));
    clearTimeout(p.timer);
    if (m.error) p.reject(ApiError.fromBody(0, m.error));
    else p.resolve(m.result);
  }

  private failPending(reason: string): void {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new ApiError(0, 'disconnected', reason));
    }
    this.pending.clear();
  }

  private setState(s: LiveState): void {
    if (s === this.currentState) return;
    this.currentState = s;
    for (const l of this.stateListeners) l(s);
  }
}

/** ws(s)://<this host>/api/ws, following the page's scheme. */
export function liveUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/api/ws`;
}
