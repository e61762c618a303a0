// The camera's HTTP side: ONVIF SOAP services and JPEG snapshots on one port, as on real cameras.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { DigestAuth, type Credentials } from '../rtsp/digest';
import { SERVICE_PATHS, type OnvifDevice } from './device';
import { deviceService } from './device-service';
import { mediaService } from './media-service';
import { ptzService } from './ptz-service';
import type { ServiceHandlers } from './service';
import { envelope, faultEnvelope, faults, parseSoapRequest, SoapFault } from './soap';
import { UsernameTokenVerifier } from './wsse';
import { child, type XmlNode } from './xml';

const MAX_BODY = 64 * 1024;
const UNAUTHENTICATED = new Set(['GetSystemDateAndTime']);

export interface OnvifServerOptions {
  device: OnvifDevice;
  credentials: () => Credentials;
  port: number;
  snapshot: (profileToken: string | undefined) => Promise<Buffer>;
}

export class OnvifServer {
  private readonly server: http.Server;
  private readonly wsse = new UsernameTokenVerifier();
  private readonly httpAuth: DigestAuth;
  private readonly services: Record<string, ServiceHandlers>;
  private readonly held = new Set<Socket>();
  private offline = false;

  constructor(private readonly opts: OnvifServerOptions) {
    this.httpAuth = new DigestAuth(`${opts.device.model} ${opts.device.serial}`, opts.credentials);
    this.services = {
      [SERVICE_PATHS.device]: deviceService,
      [SERVICE_PATHS.media]: mediaService,
      ...(opts.device.ptz ? { [SERVICE_PATHS.ptz]: ptzService } : {}),
    };
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.headersTimeout = 10_000;
    this.server.requestTimeout = 30_000;
    this.server.maxHeadersCount = 64;
  }

  get port(): number {
    const a = this.server.address();
    return a && typeof a === 'object' ? a.port : this.opts.port;
  }

  listen(host: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    this.setOffline(false);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Offline: requests are read and never answered, so clients see timeouts, not refusals. */
  setOffline(on: boolean): void {
    this.offline = on;
    if (on) this.server.closeAllConnections();
    for (const s of this.held) s.destroy();
    this.held.clear();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (this.offline) {
      this.held.add(req.socket);
      req.socket.once('close', () => this.held.delete(req.socket));
      req.resume();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://camera');
    if (req.method === 'GET' && url.pathname === '/snapshot.jpg') {
      void this.snapshot(req, res, url.searchParams.get('profile') ?? undefined);
      return;
    }
    const service = this.services[url.pathname];
    if (!service) return this.plain(res, 404, 'not found');
    if (req.method !== 'POST') return this.plain(res, 405, 'POST SOAP 1.2 requests here');
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        tooBig = true;
        req.pause();
        this.fault(res, faults.wellFormed('request body too large'), 413, true);
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!tooBig) this.soap(service, Buffer.concat(chunks).toString('utf8'), req.headers.authorization, res);
    });
  }

  private soap(service: ServiceHandlers, xml: string, authorization: string | undefined, res: ServerResponse): void {
    try {
      const req = parseSoapRequest(xml);
      const handler = Object.prototype.hasOwnProperty.call(service, req.action) ? service[req.action] : undefined;
      if (!UNAUTHENTICATED.has(req.action) && !this.authenticated(req.header, authorization)) {
        // Like most cameras: WS-Security or HTTP Digest. A request with neither gets a Digest challenge.
        if (!authorization && !child(req.header, 'Security')) return this.challenge(res);
        throw faults.notAuthorized();
      }
      if (!handler) throw faults.actionNotSupported(req.action);
      const body = envelope(handler(this.opts.device, req.body));
      res.writeHead(200, { 'Content-Type': 'application/soap+xml; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    } catch (err) {
      if (err instanceof SoapFault) this.fault(res, err);
      else this.fault(res, new SoapFault('Receiver', ['ter:Action'], `internal error: ${(err as Error).message}`));
    }
  }

  private authenticated(header: XmlNode | undefined, authorization: string | undefined): boolean {
    if (authorization) return this.httpAuth.verify('POST', authorization);
    return this.wsse.verify(header, this.opts.credentials(), this.opts.device.now()) === undefined;
  }

  private challenge(res: ServerResponse): void {
    const body = faultEnvelope(faults.notAuthorized());
    res.writeHead(401, { 'WWW-Authenticate': this.httpAuth.challenge(), 'Content-Type': 'application/soap+xml; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }

  private fault(res: ServerResponse, f: SoapFault, status = f.httpStatus, close = false): void {
    if (res.headersSent) return;
    const body = faultEnvelope(f);
    res.writeHead(status, { 'Content-Type': 'application/soap+xml; charset=utf-8', 'Content-Length': Buffer.byteLength(body), ...(close ? { Connection: 'close' } : {}) });
    res.end(body);
  }

  private plain(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
    res.end(text);
  }

  private async snapshot(req: IncomingMessage, res: ServerResponse, profile: string | undefined): Promise<void> {
    const authz = req.headers.authorization;
    if (!this.httpAuth.verify('GET', authz) && !this.httpAuth.verifyBasic(authz)) {
      res.writeHead(401, { 'WWW-Authenticate': [this.httpAuth.challenge(), `Basic realm="${this.httpAuth.realm}"`], 'Content-Type': 'text/plain' });
      res.end('authentication required');
      return;
    }
    if (profile && !this.opts.device.profiles.some((p) => p.token === profile)) return this.plain(res, 404, 'no such profile');
    try {
      const jpeg = await this.opts.snapshot(profile);
      res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': jpeg.length, 'Cache-Control': 'no-store' });
      res.end(jpeg);
    } catch (err) {
      this.plain(res, 500, `snapshot failed: ${(err as Error).message}`);
    }
  }
}
