// RTSP/1.0 server for one camera: Digest-protected streams, sessions shared across connections
// (UDP sessions outlive the TCP connection until they time out, as on real cameras).
import type { Socket as UdpSocket } from 'node:dgram';
import net, { type Server, type Socket } from 'node:net';
import { RtspConnection } from './connection';
import { DigestAuth, type Credentials } from './digest';
import type { RtpStream } from './rtp-stream';
import type { RtspSession } from './session';
import { bindPortPair } from './udp-ports';

export interface RtspServerOptions {
  host: string;
  port: number;
  realm: string;
  credentials: () => Credentials;
  streams: Map<string, RtpStream>;
  sessionTimeoutSec: number;
  cameraNow: () => number;
  serverName: string;
}

const MAX_CONNECTIONS = 256;

export class RtspServer {
  readonly auth: DigestAuth;
  readonly sessions = new Map<string, RtspSession>();
  private server?: Server;
  private udp?: { rtp: UdpSocket; rtcp: UdpSocket };
  private readonly connections = new Set<RtspConnection>();
  offline = false;

  constructor(readonly options: RtspServerOptions) {
    this.auth = new DigestAuth(options.realm, options.credentials);
  }

  get port(): number {
    const a = this.server?.address();
    return a && typeof a === 'object' ? a.port : this.options.port;
  }

  get udpSockets(): { rtp: UdpSocket; rtcp: UdpSocket } {
    if (!this.udp) throw new Error('RTSP server not started');
    return this.udp;
  }

  async start(): Promise<void> {
    this.udp = await bindPortPair(this.options.host);
    // Receiver reports from UDP clients keep their sessions alive.
    this.udp.rtcp.on('message', (_msg, rinfo) => {
      for (const s of this.sessions.values()) {
        const t = s.transport as { address?: string; clientRtcpPort?: number };
        if (t.address === rinfo.address && t.clientRtcpPort === rinfo.port) s.touch();
      }
    });
    const server = net.createServer((socket) => this.accept(socket));
    server.maxConnections = MAX_CONNECTIONS;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  async stop(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.udp?.rtp.close();
    this.udp?.rtcp.close();
    this.udp = undefined;
  }

  /** Closes every RTSP connection and session, like a camera reboot seen from the network. */
  dropConnections(): void {
    for (const c of this.connections) c.destroy();
    for (const s of this.sessions.values()) s.close();
    this.sessions.clear();
  }

  setOffline(on: boolean): void {
    this.offline = on;
    this.dropConnections();
  }

  endSession(session: RtspSession): void {
    session.close();
    this.sessions.delete(session.id);
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    const conn = new RtspConnection(socket, this);
    this.connections.add(conn);
    socket.once('close', () => this.connections.delete(conn));
  }
}
