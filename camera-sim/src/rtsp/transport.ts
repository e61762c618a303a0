// Where a session's RTP and RTCP go: UDP unicast to the client's ports, or interleaved on the RTSP socket.
import type { Socket as UdpSocket } from 'node:dgram';
import type { Socket } from 'node:net';

export interface RtpTransport {
  readonly description: string;
  /** false when the path is congested and the caller should skip to the next keyframe */
  sendRtp(header: Buffer, payload: Buffer): boolean;
  sendRtcp(packet: Buffer): void;
}

export class UdpTransport implements RtpTransport {
  constructor(
    private readonly rtp: UdpSocket,
    private readonly rtcp: UdpSocket,
    readonly address: string,
    readonly clientRtpPort: number,
    readonly clientRtcpPort: number,
  ) {}

  get description(): string {
    return `RTP/AVP;unicast;client_port=${this.clientRtpPort}-${this.clientRtcpPort};server_port=${this.rtp.address().port}-${this.rtcp.address().port}`;
  }

  sendRtp(header: Buffer, payload: Buffer): boolean {
    this.rtp.send([header, payload], this.clientRtpPort, this.address);
    return true;
  }

  sendRtcp(packet: Buffer): void {
    this.rtcp.send(packet, this.clientRtcpPort, this.address);
  }
}

// A client that stops reading would otherwise make us buffer its video without bound.
const MAX_TCP_BACKLOG = 4 * 1024 * 1024;

export class TcpInterleavedTransport implements RtpTransport {
  constructor(
    private readonly socket: Socket,
    readonly rtpChannel: number,
    readonly rtcpChannel: number,
  ) {}

  get description(): string {
    return `RTP/AVP/TCP;unicast;interleaved=${this.rtpChannel}-${this.rtcpChannel}`;
  }

  sendRtp(header: Buffer, payload: Buffer): boolean {
    if (this.socket.destroyed || this.socket.writableLength > MAX_TCP_BACKLOG) return false;
    this.write(this.rtpChannel, header, payload);
    return true;
  }

  sendRtcp(packet: Buffer): void {
    if (!this.socket.destroyed) this.write(this.rtcpChannel, packet);
  }

  private write(channel: number, ...parts: Buffer[]): void {
    const len = parts.reduce((n, p) => n + p.length, 0);
    const frame = Buffer.allocUnsafe(4);
    frame[0] = 0x24;
    frame[1] = channel;
    frame.writeUInt16BE(len, 2);
    this.socket.cork();
    this.socket.write(frame);
    for (const p of parts) this.socket.write(p);
    this.socket.uncork();
  }
}
