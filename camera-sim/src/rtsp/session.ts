// An RTSP session (RFC 2326 §3): one transport bound to one stream, with its own sequence numbers,
// sender reports and idle timeout.
import { randomInt } from 'node:crypto';
import { rtpHeader, senderReport, type RtpPayload } from './rtp';
import type { RtpStream, StreamSubscriber } from './rtp-stream';
import type { RtpTransport } from './transport';

const SR_INTERVAL_MS = 5000;

export class RtspSession implements StreamSubscriber {
  readonly id = randomInt(10_000_000, 99_999_999).toString() + randomInt(10_000_000, 99_999_999).toString();
  playing = false;
  private seq = randomInt(0, 0xffff);
  private packets = 0;
  private octets = 0;
  private waitForKeyframe = true;
  private lastSentMs = 0;
  private srTimer?: NodeJS.Timeout;
  private idleTimer?: NodeJS.Timeout;

  constructor(
    readonly stream: RtpStream,
    readonly transport: RtpTransport,
    private readonly timeoutSec: number,
    private readonly cameraNow: () => number,
    private readonly cname: string,
    private readonly onExpire: (s: RtspSession) => void,
  ) {
    this.touch();
  }

  get nextSeq(): number {
    return this.seq & 0xffff;
  }

  /** Any request naming the session, or an RTCP receiver report, keeps it alive. */
  touch(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.onExpire(this), this.timeoutSec * 1000);
    this.idleTimer.unref();
  }

  play(): void {
    if (this.playing) return;
    this.playing = true;
    this.waitForKeyframe = true;
    this.stream.subscribe(this);
    this.srTimer = setInterval(() => this.sendSenderReport(), SR_INTERVAL_MS);
    this.srTimer.unref();
  }

  pause(): void {
    this.playing = false;
    this.stream.unsubscribe(this);
    clearInterval(this.srTimer);
  }

  close(): void {
    this.pause();
    clearTimeout(this.idleTimer);
  }

  deliver(payloads: RtpPayload[], rtpTime: number, keyframe: boolean): void {
    // Start (and resume after congestion) on a keyframe so the client never decodes garbage.
    if (this.waitForKeyframe && !keyframe) return;
    const first = this.waitForKeyframe;
    this.waitForKeyframe = false;
    for (const p of payloads) {
      const header = rtpHeader(this.seq, rtpTime, this.stream.ssrc, p.marker);
      if (!this.transport.sendRtp(header, p.data)) {
        this.waitForKeyframe = true;
        return;
      }
      this.seq = (this.seq + 1) & 0xffff;
      this.packets += 1;
      this.octets += p.data.length;
    }
    this.lastSentMs = Date.now();
    if (first) this.sendSenderReport();
  }

  private sendSenderReport(): void {
    // A frozen camera sends nothing at all, reports included.
    if (this.packets === 0 || Date.now() - this.lastSentMs > SR_INTERVAL_MS) return;
    const { rtpTime, wallMs } = this.stream.clockNow(this.cameraNow());
    this.transport.sendRtcp(senderReport(this.stream.ssrc, wallMs, rtpTime, this.packets, this.octets, this.cname));
  }
}
