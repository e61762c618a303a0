// Small HTTP API to inject faults into running cameras (routes documented in camera-sim/README.md).
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { SimCamera } from './api-types';

const MAX_BODY = 4096;

export class ControlApi {
  private readonly server: http.Server;

  constructor(
    private readonly cameras: () => SimCamera[],
    private readonly port: number,
  ) {
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  get url(): string {
    const a = this.server.address();
    return a && typeof a === 'object' ? `http://${a.address === '0.0.0.0' ? '127.0.0.1' : a.address}:${a.port}` : '';
  }

  listen(host: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method === 'GET' && path === '/cameras') return json(res, 200, this.cameras().map(describe));
    const m = /^\/cameras\/([^/]+)(?:\/faults(?:\/([a-z-]+))?)?$/.exec(path);
    const cam = m && this.cameras().find((c) => c.id === decodeURIComponent(m[1]));
    if (!m || !cam) return json(res, 404, { error: 'no such camera or route' });
    if (!m[2]) {
      if (req.method !== 'GET') return json(res, 405, { error: 'use GET' });
      return json(res, 200, describe(cam));
    }
    if (req.method !== 'POST') return json(res, 405, { error: 'use POST' });
    let body: Record<string, unknown>;
    try {
      body = await readJson(req);
    } catch (err) {
      return json(res, 400, { error: (err as Error).message });
    }
    const f = cam.faults;
    const flag = (): boolean | undefined => (typeof body.on === 'boolean' ? body.on : undefined);
    switch (m[2]) {
      case 'drop-connections':
        f.dropConnections();
        break;
      case 'freeze':
      case 'offline': {
        const on = flag();
        if (on === undefined) return json(res, 400, { error: 'body must be {"on": true|false}' });
        if (m[2] === 'freeze') f.freeze(on);
        else f.offline(on);
        break;
      }
      case 'credentials': {
        const { username, password } = body;
        if (typeof username !== 'string' || typeof password !== 'string' || !username || username.length > 64 || password.length > 128 || /[:\s]/.test(username)) {
          return json(res, 400, { error: 'body must be {"username": string without ":" or spaces, "password": string}' });
        }
        f.setCredentials(username, password);
        break;
      }
      case 'clock-skew': {
        const ms = body.ms;
        if (typeof ms !== 'number' || !Number.isFinite(ms) || Math.abs(ms) > 365 * 86_400_000) return json(res, 400, { error: 'body must be {"ms": number within a year}' });
        f.skewClock(ms);
        break;
      }
      default:
        return json(res, 404, { error: `unknown fault ${m[2]}` });
    }
    return json(res, 200, describe(cam));
  }
}

function describe(c: SimCamera): Record<string, unknown> {
  return { id: c.id, name: c.name, scene: c.scene, onvifUrl: c.onvifUrl, rtspMainUrl: c.rtspMainUrl, rtspSubUrl: c.rtspSubUrl, faults: c.faults.state() };
}

function json(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8').trim();
      if (!raw) return resolve({});
      try {
        const v: unknown = JSON.parse(raw);
        if (!v || typeof v !== 'object' || Array.isArray(v)) return reject(new Error('body must be a JSON object'));
        resolve(v as Record<string, unknown>);
      } catch {
        reject(new Error('body is not JSON'));
      }
    });
  });
}
