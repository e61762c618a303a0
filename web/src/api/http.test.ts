import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from './errors';
import { HttpClient, queryString } from './http';

// A real HTTP server on loopback standing in for the control plane's error conventions.
let server: Server;
let base: string;
let lastRequest: { method?: string; url?: string; body: string; contentType?: string };

function route(req: IncomingMessage, res: ServerResponse, body: string): void {
  lastRequest = { method: req.method, url: req.url, body, contentType: req.headers['content-type'] };
  const json = (status: number, value: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(value));
  };
  const path = (req.url ?? '').split('?')[0];
  if (path === '/ok') return json(200, { hello: 'world', echo: body ? JSON.parse(body) : null });
  if (path === '/gone') return void res.writeHead(204).end();
  if (path === '/bad') return json(400, { error: 'validation', message: 'body/name must NOT have fewer than 1 characters' });
  if (path === '/auth') return json(401, { error: 'unauthorized', message: 'Sign in first' });
  if (path === '/html') return void res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad gateway</h1>');
  if (path === '/broken-json') return void res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":');
  json(404, { error: 'not_found', message: 'No route' });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => route(req, res, body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

let notified: ApiError[];
let unauthorized: ApiError[];
let client: HttpClient;
beforeEach(() => {
  notified = [];
  unauthorized = [];
  client = new HttpClient(base);
  client.setHooks({ notify: (e) => notified.push(e), unauthorized: (e) => unauthorized.push(e) });
});

describe('HttpClient', () => {
  it('sends JSON bodies and query strings and parses JSON replies', async () => {
    const res = await client.post<{ hello: string; echo: unknown }>('/ok', { name: '张三' }, { query: { page: 2, q: '', role: undefined, x: 'a b' } });
    expect(res).toEqual({ hello: 'world', echo: { name: '张三' } });
    expect(lastRequest).toMatchObject({ method: 'POST', url: '/ok?page=2&x=a+b', contentType: 'application/json' });
  });

  it('returns undefined for 204', async () => {
    await expect(client.delete('/gone')).resolves.toBeUndefined();
    expect(lastRequest.method).toBe('DELETE');
  });

  it('turns { error, message } into an ApiError and reports it', async () => {
    const err = await client.patch('/bad', { name: '' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 400, code: 'validation', message: 'body/name must NOT have fewer than 1 characters' });
    expect(notified).toHaveLength(1);
    expect(unauthorized).toHaveLength(0);
  });

  it('sends a 401 to the unauthorized hook, not to notify', async () => {
    await expect(client.get('/auth')).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
    expect(unauthorized).toHaveLength(1);
    expect(notified).toHaveLength(0);
  });

  it('reports nothing for silent calls', async () => {
    await expect(client.get('/auth', { silent: true })).rejects.toMatchObject({ status: 401 });
    await expect(client.get('/bad', { silent: true })).rejects.toMatchObject({ status: 400 });
    expect(unauthorized).toHaveLength(0);
    expect(notified).toHaveLength(0);
  });

  it('copes with error bodies that are not the API shape', async () => {
    await expect(client.get('/html')).rejects.toMatchObject({ status: 502, code: 'server_error', message: 'HTTP 502' });
    await expect(client.get('/broken-json')).rejects.toMatchObject({ status: 500, code: 'server_error' });
    await expect(client.get('/nowhere')).rejects.toMatchObject({ status: 404, code: 'not_found' });
    expect(notified.map((e) => e.status)).toEqual([502, 500, 404]);
  });

  it('reports an unreachable server as a network error', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const offline = new HttpClient(`http://127.0.0.1:${port}`);
    offline.setHooks({ notify: (e) => notified.push(e), unauthorized: (e) => unauthorized.push(e) });
    await expect(offline.get('/ok')).rejects.toMatchObject({ status: 0, code: 'network' });
    expect(notified).toHaveLength(1);
  });

  it('rethrows an abort without reporting it', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(client.get('/ok', { signal: ac.signal })).rejects.toThrow();
    expect(notified).toHaveLength(0);
  });
});

describe('queryString', () => {
  it('drops empty filters and encodes the rest', () => {
    expect(queryString(undefined)).toBe('');
    expect(queryString({ q: '', role: null, teamId: undefined })).toBe('');
    expect(queryString({ q: '东门 & 西门', page: 1, ptz: false })).toBe('?q=%E4%B8%9C%E9%97%A8+%26+%E8%A5%BF%E9%97%A8&page=1&ptz=false');
  });
});
