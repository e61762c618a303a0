import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket, WebSocketServer, type WebSocket as ServerSocket } from 'ws';
import { ApiError } from './errors';
import { LiveSocket, type LiveState } from './live-socket';

// A real WebSocket server on loopback speaking the /api/ws protocol.
let wss: WebSocketServer;
let url: string;
let sockets: ServerSocket[];
let connections: number;
let live: LiveSocket | null;
let silent: boolean;

function startServer(port = 0): Promise<void> {
  wss = new WebSocketServer({ host: '127.0.0.1', port });
  wss.on('connection', (ws) => {
    connections += 1;
    sockets.push(ws);
    ws.send(JSON.stringify({ type: 'hello', socketId: 'x' }));
    ws.on('message', (raw) => {
      const msg = JSON.parse(String(raw)) as { id: string; method: string; params: unknown };
      if (msg.method === 'echo') ws.send(JSON.stringify({ id: msg.id, result: msg.params }));
      else if (msg.method === 'fail') ws.send(JSON.stringify({ id: msg.id, error: { error: 'forbidden', message: 'You may not do this' } }));
      else if (msg.method === 'ping' && !silent) ws.send(JSON.stringify({ id: msg.id, result: { now: Date.now() } }));
      // 'slow' is never answered, nor 'ping' while the server plays dead.
    });
  });
  return new Promise((r) => wss.on('listening', () => r()));
}

function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => (cond() ? resolve() : Date.now() > deadline ? reject(new Error('timed out waiting')) : setTimeout(tick, 10));
    tick();
  });
}

function client(extra: Partial<ConstructorParameters<typeof LiveSocket>[0]> = {}): LiveSocket {
  live = new LiveSocket({ url, WebSocket: NodeWebSocket as unknown as typeof WebSocket, minDelayMs: 20, maxDelayMs: 200, requestTimeoutMs: 300, ...extra });
  return live;
}

beforeEach(async () => {
  sockets = [];
  connections = 0;
  live = null;
  silent = false;
  await startServer();
  url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/api/ws`;
});
afterEach(async () => {
  live?.stop();
  for (const s of sockets) s.terminate();
  await new Promise<void>((r) => wss.close(() => r()));
});

describe('LiveSocket', () => {
  it('answers requests and rejects server errors as ApiError', async () => {
    const ls = client();
    const states: LiveState[] = [];
    ls.onState((s) => states.push(s));
    ls.start();
    await waitFor(() => ls.state === 'open');
    expect(states).toEqual(['connecting', 'open']);
    await expect(ls.request('echo', { a: 1 })).resolves.toEqual({ a: 1 });
    const err = await ls.request('fail').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'forbidden', message: 'You may not do this' });
  });

  it('delivers pushed events to subscribers of their topic only', async () => {
    const ls = client();
    const got: unknown[] = [];
    const off = ls.subscribe('incident', (d) => got.push(d));
    ls.subscribe('other', () => got.push('wrong'));
    ls.start();
    await waitFor(() => ls.state === 'open');
    sockets[0].send('not json');
    sockets[0].send(JSON.stringify(42));
    sockets[0].send(JSON.stringify({ type: 'event', topic: 'incident', data: { id: 1 } }));
    await waitFor(() => got.length === 1);
    off();
    sockets[0].send(JSON.stringify({ type: 'event', topic: 'incident', data: { id: 2 } }));
    await expect(ls.request('echo', 'sync')).resolves.toBe('sync'); // the push above has been handled by now
    expect(got).toEqual([{ id: 1 }]);
  });

  it('fails requests at once while disconnected and on timeout', async () => {
    const ls = client();
    await expect(ls.request('echo')).rejects.toMatchObject({ code: 'disconnected' });
    ls.start();
    await waitFor(() => ls.state === 'open');
    await expect(ls.request('slow')).rejects.toMatchObject({ code: 'timeout' });
  });

  it('rejects pending requests when the connection drops, then reconnects by itself', async () => {
    const ls = client();
    ls.start();
    await waitFor(() => ls.state === 'open');
    const pending = ls.request('slow');
    sockets[0].terminate();
    await expect(pending).rejects.toMatchObject({ code: 'disconnected' });
    await waitFor(() => connections === 2 && ls.state === 'open');
    await expect(ls.request('echo', 'again')).resolves.toBe('again');
  });

  it('keeps retrying while the server is down and resumes when it returns', async () => {
    const ls = client();
    ls.start();
    await waitFor(() => ls.state === 'open');
    const port = (wss.address() as AddressInfo).port;
    for (const s of sockets) s.terminate();
    await new Promise<void>((r) => wss.close(() => r()));
    await waitFor(() => ls.state === 'reconnecting');
    await new Promise((r) => setTimeout(r, 300)); // several failed attempts
    expect(ls.state).toBe('reconnecting');
    await startServer(port);
    await waitFor(() => ls.state === 'open', 3000);
  });

  it('drops and replaces a connection that stops answering pings', async () => {
    const ls = client({ heartbeatMs: 100, requestTimeoutMs: 100 });
    ls.start();
    await waitFor(() => ls.state === 'open');
    await new Promise((r) => setTimeout(r, 350)); // answered pings keep it
    expect(connections).toBe(1);
    silent = true; // TCP still up, nobody answering: what a dead phone network looks like
    await waitFor(() => connections === 2);
    silent = false;
    await waitFor(() => ls.state === 'open');
    await expect(ls.request('echo', 'back')).resolves.toBe('back');
  });

  it('stops for good on stop()', async () => {
    const ls = client();
    ls.start();
    await waitFor(() => ls.state === 'open');
    ls.stop();
    expect(ls.state).toBe('idle');
    await new Promise((r) => setTimeout(r, 150));
    expect(connections).toBe(1);
    await waitFor(() => wss.clients.size === 0);
  });

  it('backs off exponentially with jitter up to the cap', () => {
    const low = new LiveSocket({ url, WebSocket: NodeWebSocket as unknown as typeof WebSocket, minDelayMs: 500, maxDelayMs: 30_000, random: () => 0 });
    const high = new LiveSocket({ url, WebSocket: NodeWebSocket as unknown as typeof WebSocket, minDelayMs: 500, maxDelayMs: 30_000, random: () => 1 });
    expect([1, 2, 3, 4, 8, 20].map((n) => low.backoffDelay(n))).toEqual([375, 750, 1500, 3000, 22500, 22500]);
    expect([1, 2, 7, 20].map((n) => high.backoffDelay(n))).toEqual([625, 1250, 37500, 37500]);
  });
});
