// One camera stream (main or sub): packetizes each access unit once and fans it out to every playing session.
import { randomInt } from 'node:crypto';
import type { EncodedFrame, VideoSource } from '../media/video-source';
import { RTP_CLOCK } from '../media/video-source';
import { packetizeAccessUnit, type RtpPayload } from './rtp';

export interface StreamSubscriber {
  deliver(payloads: RtpPayload[], rtpTime: number, keyframe: boolean): void;
}

export class RtpStream {
  readonly ssrc = randomInt(1, 0xffffffff);
  private readonly tsBase = randomInt(0, 0x7fffffff);
  private readonly subscribers = new Set<StreamSubscriber>();
  private last?: { rtpTime: number; wallMs: number };
  private readonly onFrame = (f: EncodedFrame): void => this.fanOut(f);

  constructor(
    readonly name: string,
    readonly source: VideoSource,
  ) {
    source.on('frame', this.onFrame);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  subscribe(s: StreamSubscriber): void {
    this.subscribers.add(s);
    if (this.subscribers.size === 1) this.source.demand?.(true);
  }

  unsubscribe(s: StreamSubscriber): void {
    if (this.subscribers.delete(s) && this.subscribers.size === 0) this.source.demand?.(false);
  }

  /** RTP time and camera wall clock "now", extrapolated from the last frame, for RTP-Info and sender reports. */
  clockNow(cameraNowMs: number): { rtpTime: number; wallMs: number } {
    if (!this.last) return { rtpTime: this.tsBase, wallMs: cameraNowMs };
    return { rtpTime: this.last.rtpTime + Math.round(((cameraNowMs - this.last.wallMs) * RTP_CLOCK) / 1000), wallMs: cameraNowMs };
  }

  close(): void {
    this.source.off('frame', this.onFrame);
    if (this.subscribers.size) this.source.demand?.(false);
    this.subscribers.clear();
  }

  private fanOut(f: EncodedFrame): void {
    const rtpTime = this.tsBase + Math.round(f.rtpTime);
    this.last = { rtpTime, wallMs: f.wallMs };
    if (this.subscribers.size === 0) return;
    const payloads = packetizeAccessUnit(f.nals, f.keyframe, this.source.sps, this.source.pps);
    for (const s of this.subscribers) s.deliver(payloads, rtpTime, f.keyframe);
  }
}
