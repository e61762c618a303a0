// One RTSP control connection: answers requests in order, owns its interleaved sessions.
import type { Socket } from 'node:net';
import { RtspRequestParser, type RtspRequest } from './request-parser';
import { describeH264, TRACK_CONTROL } from './sdp';
import type { RtspServer } from './server';
import { RtspSession } from './session';
import { TcpInterleavedTransport, UdpTransport, type RtpTransport } from './transport';

const PUBLIC_METHODS = 'OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER, SET_PARAMETER';
const KNOWN_BUT_UNSUPPORTED = new Set(['ANNOUNCE', 'RECORD', 'REDIRECT']);

const REASONS: Record<number, string> = {
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  413: 'Request Entity Too Large',
  454: 'Session Not Found',
  455: 'Method Not Valid in This State',
  459: 'Aggregate Operation Not Allowed',
  461: 'Unsupported Transport',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  505: 'RTSP Version Not Supported',
  551: 'Option not supported',
};

interface Reply {
  status: number;
  reason?: string;
  headers?: Record<string, string>;
  body?: string;
}

export class RtspConnection {
  private readonly parser = new RtspRequestParser();
  private readonly own = new Set<RtspSession>();

  constructor(
    private readonly socket: Socket,
    private readonly server: RtspServer,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.onClose());
  }

  destroy(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    // An offline camera accepts nothing and answers nothing: clients must time out.
    if (this.server.offline) return;
    for (const item of this.parser.push(chunk)) {
      if (item.kind === 'interleaved') {
        for (const s of this.own) s.touch();
      } else if (item.kind === 'error') {
        this.send(item.cseq, { status: item.status, reason: item.reason });
        if (item.fatal) this.socket.end();
      } else {
        let reply: Reply;
        try {
          reply = this.handle(item.request);
        } catch (err) {
          reply = { status: 500, reason: `Internal Server Error (${(err as Error).message.slice(0, 80)})` };
        }
        this.send(item.request.cseq, reply);
      }
    }
  }

  private onClose(): void {
    // Interleaved sessions die with their connection; UDP sessions wait for their timeout.
    for (const s of this.own) if (s.transport instanceof TcpInterleavedTransport) this.server.endSession(s);
    this.own.clear();
  }

  private send(cseq: string | undefined, r: Reply): void {
    if (this.socket.destroyed) return;
    const lines = [`RTSP/1.0 ${r.status} ${r.reason ?? REASONS[r.status] ?? 'Error'}`];
    if (cseq !== undefined) lines.push(`CSeq: ${cseq}`);
    lines.push(`Server: ${this.server.options.serverName}`, `Date: ${new Date(this.server.options.cameraNow()).toUTCString()}`);
    for (const [k, v] of Object.entries(r.headers ?? {})) lines.push(`${k}: ${v}`);
    const body = r.body ? Buffer.from(r.body) : undefined;
    if (body) lines.push(`Content-Length: ${body.length}`);
    this.socket.write(Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n'), ...(body ? [body] : [])]));
  }

  private handle(req: RtspRequest): Reply {
    const method = req.method.toUpperCase();
    if (method === 'OPTIONS') return { status: 200, headers: { Public: PUBLIC_METHODS } };
    if (KNOWN_BUT_UNSUPPORTED.has(method)) return { status: 405, headers: { Allow: PUBLIC_METHODS } };
    if (!PUBLIC_METHODS.split(', ').includes(method)) return { status: 501, headers: { Public: PUBLIC_METHODS } };
    // No RTSP extensions are supported (RFC 2326 §12.32).
    const required = req.headers.get('require');
    if (required) return { status: 551, headers: { Unsupported: required } };

    const target = this.resolve(req.uri);
    if (!target) return { status: 400, reason: 'Bad Request (bad URL)' };
    if (!this.server.auth.verify(method, req.headers.get('authorization'))) {
      return { status: 401, headers: { 'WWW-Authenticate': this.server.auth.challengeWithoutQop() } };
    }
    switch (method) {
      case 'DESCRIBE':
        return this.describe(req, target);
      case 'SETUP':
        return this.setup(req, target);
      default:
        return this.sessionRequest(method, req);
    }
  }

  private resolve(uri: string): { path: string; base: string } | undefined {
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      return undefined;
    }
    if (url.protocol !== 'rtsp:') return undefined;
    let path = decodeURIComponent(url.pathname).replace(/\/+$/, '');
    if (path.endsWith(`/${TRACK_CONTROL}`)) path = path.slice(0, -TRACK_CONTROL.length - 1);
    return { path: path || '/', base: `rtsp://${url.host}${path}/` };
  }

  private describe(req: RtspRequest, target: { path: string; base: string }): Reply {
    const stream = this.server.options.streams.get(target.path);
    if (!stream) return { status: 404 };
    const accept = req.headers.get('accept');
    if (accept && !accept.includes('application/sdp') && !accept.includes('*/*')) return { status: 406 };
    const src = stream.source;
    const sdp = describeH264({
      host: this.server.options.host,
      sessionId: String(stream.ssrc),
      name: this.server.options.serverName,
      sps: src.sps,
      pps: src.pps,
      width: src.width,
      height: src.height,
      fps: src.fps,
    });
    return { status: 200, headers: { 'Content-Base': target.base, 'Content-Type': 'application/sdp' }, body: sdp };
  }

  private setup(req: RtspRequest, target: { path: string }): Reply {
    const stream = this.server.options.streams.get(target.path);
    if (!stream) return { status: 404 };
    if (req.headers.has('session')) {
      const existing = this.server.sessions.get(sessionId(req.headers.get('session')));
      return existing ? { status: 459 } : { status: 454 };
    }
    const transport = this.chooseTransport(req.headers.get('transport') ?? '');
    if (!transport) return { status: 461 };
    const opts = this.server.options;
    const session = new RtspSession(stream, transport, opts.sessionTimeoutSec, opts.cameraNow, `${opts.serverName}@${opts.host}`, (s) =>
      this.server.endSession(s),
    );
    this.server.sessions.set(session.id, session);
    this.own.add(session);
    return {
      status: 200,
      headers: { Transport: `${transport.description};ssrc=${stream.ssrc.toString(16).padStart(8, '0').toUpperCase()}`, Session: `${session.id};timeout=${opts.sessionTimeoutSec}` },
    };
  }

  private chooseTransport(header: string): RtpTransport | undefined {
    for (const spec of header.split(',')) {
      const parts = spec.trim().split(';').map((p) => p.trim());
      const proto = parts[0].toUpperCase();
      const params = new Map(parts.slice(1).map((p) => [p.split('=')[0].toLowerCase(), p.split('=')[1] ?? ''] as const));
      if (params.has('multicast')) continue;
      if (proto === 'RTP/AVP/TCP') {
        const ch = /^(\d{1,3})-(\d{1,3})$/.exec(params.get('interleaved') ?? '0-1');
        if (!ch || Number(ch[1]) > 255 || Number(ch[2]) > 255) continue;
        return new TcpInterleavedTransport(this.socket, Number(ch[1]), Number(ch[2]));
      }
      if (proto === 'RTP/AVP' || proto === 'RTP/AVP/UDP') {
        const ports = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(params.get('client_port') ?? '');
        if (!ports) continue;
        const rtp = Number(ports[1]);
        const rtcp = ports[2] ? Number(ports[2]) : rtp + 1;
        if (rtp < 1 || rtp > 65535 || rtcp < 1 || rtcp > 65535 || !this.socket.remoteAddress) continue;
        const { rtp: rtpSock, rtcp: rtcpSock } = this.server.udpSockets;
        return new UdpTransport(rtpSock, rtcpSock, this.socket.remoteAddress.replace(/^::ffff:/, ''), rtp, rtcp);
      }
    }
    return undefined;
  }

  private sessionRequest(method: string, req: RtspRequest): Reply {
    const header = req.headers.get('session');
    if (!header) {
      // A bare GET_PARAMETER is a keep-alive ping on the connection (RFC 2326 §10.8).
      if (method === 'GET_PARAMETER' || method === 'SET_PARAMETER') return { status: method === 'GET_PARAMETER' ? 200 : 451, reason: method === 'GET_PARAMETER' ? undefined : 'Parameter Not Understood' };
      return { status: 454 };
    }
    const session = this.server.sessions.get(sessionId(header));
    if (!session) return { status: 454 };
    session.touch();
    const sessionHeader = { Session: `${session.id};timeout=${this.server.options.sessionTimeoutSec}` };
    switch (method) {
      case 'PLAY': {
        session.play();
        const { rtpTime } = session.stream.clockNow(this.server.options.cameraNow());
        const url = this.resolve(req.uri)?.base ?? '';
        return {
          status: 200,
          headers: { ...sessionHeader, Range: 'npt=now-', 'RTP-Info': `url=${url}${TRACK_CONTROL};seq=${session.nextSeq};rtptime=${rtpTime >>> 0}` },
        };
      }
      case 'PAUSE':
        session.pause();
        return { status: 200, headers: sessionHeader };
      case 'TEARDOWN':
        this.server.endSession(session);
        this.own.delete(session);
        return { status: 200 };
      case 'GET_PARAMETER':
        return { status: 200, headers: sessionHeader };
      default:
        return { status: 451, reason: 'Parameter Not Understood', headers: sessionHeader };
    }
  }
}

function sessionId(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim();
}
