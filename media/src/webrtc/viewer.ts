// One browser watching one stream: a WebRtcTransport with a single Consumer. The consumer starts
// paused so no packet is sent before the browser has wired its track; resume() then asks the
// source for a keyframe so the first picture does not wait for the next GOP. A viewer that does
// not reach DTLS "connected" in time, or whose ICE/DTLS fails, closes itself: no transport lingers.
import { EventEmitter } from 'node:events';
import type { types as ms } from 'mediasoup';
import type { RouterSlot } from './router-slot';

export type ViewerCloseReason = 'closed' | 'connect-timeout' | 'ice-disconnected' | 'dtls-failed' | 'stream-closed' | 'router-closed';

export interface ViewerOptions {
  /** How long ICE + DTLS may take before the viewer gives up. */
  connectTimeoutMs: number;
  /** ICE consent freshness: a browser that vanishes is dropped after this many seconds. */
  iceConsentTimeoutS: number;
}

export interface TransportParams {
  transportId: string;
  iceParameters: ms.IceParameters;
  iceCandidates: ms.IceCandidate[];
  dtlsParameters: ms.DtlsParameters;
}

export interface ConsumeResult {
  consumerId: string;
  producerId: string;
  kind: ms.MediaKind;
  rtpParameters: ms.RtpParameters;
}

export class ViewerError extends Error {
  override readonly name = 'ViewerError';
  constructor(
    message: string,
    /** "unsupported": the browser and the stream have no codec in common; else a misuse. */
    readonly code: 'bad-request' | 'unsupported' = 'bad-request',
  ) {
    super(message);
  }
}

export class Viewer extends EventEmitter<{ close: [reason: ViewerCloseReason] }> {
  private consumer: ms.Consumer | undefined;
  private connectTimer: NodeJS.Timeout | undefined;
  private closedWith: ViewerCloseReason | undefined;

  private constructor(
    readonly streamId: string,
    private readonly slot: RouterSlot,
    private readonly producerId: string,
    readonly transport: ms.WebRtcTransport,
    options: ViewerOptions,
  ) {
    super();
    slot.viewers += 1;
    this.connectTimer = setTimeout(() => this.close('connect-timeout'), options.connectTimeoutMs);
    transport.on('dtlsstatechange', (state) => {
      if (state === 'connected') this.clearConnectTimer();
      else if (state === 'failed' || state === 'closed') this.close('dtls-failed');
    });
    // mediasoup reports "disconnected" only after ICE consent expired: the browser is gone.
    transport.on('icestatechange', (state) => {
      if (state === 'disconnected') this.close('ice-disconnected');
    });
    transport.on('routerclose', () => this.close('router-closed'));
  }

  static async create(streamId: string, slot: RouterSlot, producerId: string, options: ViewerOptions): Promise<Viewer> {
    const transport = await slot.router.createWebRtcTransport({
      listenInfos: [slot.listenInfo('udp'), slot.listenInfo('tcp')],
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      iceConsentTimeout: options.iceConsentTimeoutS,
      appData: { streamId },
    });
    return new Viewer(streamId, slot, producerId, transport, options);
  }

  get id(): string {
    return this.transport.id;
  }

  get closed(): boolean {
    return this.closedWith !== undefined;
  }

  get transportParams(): TransportParams {
    return {
      transportId: this.transport.id,
      iceParameters: this.transport.iceParameters,
      iceCandidates: this.transport.iceCandidates,
      dtlsParameters: this.transport.dtlsParameters,
    };
  }

  async connect(dtlsParameters: ms.DtlsParameters): Promise<void> {
    this.assertOpen();
    await this.transport.connect({ dtlsParameters });
  }

  async consume(rtpCapabilities: ms.RtpCapabilities): Promise<ConsumeResult> {
    this.assertOpen();
    if (this.consumer) throw new ViewerError('this transport already consumes its stream');
    if (!this.slot.router.canConsume({ producerId: this.producerId, rtpCapabilities })) {
      throw new ViewerError('the RTP capabilities are invalid or offer no H.264 profile this stream can be sent in', 'unsupported');
    }
    const consumer = await this.transport.consume({ producerId: this.producerId, rtpCapabilities, paused: true });
    this.consumer = consumer;
    consumer.on('producerclose', () => this.close('stream-closed'));
    return { consumerId: consumer.id, producerId: consumer.producerId, kind: consumer.kind, rtpParameters: consumer.rtpParameters };
  }

  async resume(): Promise<void> {
    this.assertOpen();
    if (!this.consumer) throw new ViewerError('resume before consume');
    await this.consumer.resume();
    // A source that honours PLI sends an IDR now; ffmpeg's codec copy ignores it and the first
    // frame waits for the camera's next keyframe (GOP length).
    await this.consumer.requestKeyFrame();
  }

  async stats(): Promise<ms.ConsumerStat[]> {
    this.assertOpen();
    return this.consumer ? this.consumer.getStats() : [];
  }

  close(reason: ViewerCloseReason = 'closed'): void {
    if (this.closedWith) return;
    this.closedWith = reason;
    this.clearConnectTimer();
    this.slot.viewers -= 1;
    this.transport.close();
    this.emit('close', reason);
  }

  private clearConnectTimer(): void {
    clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
  }

  private assertOpen(): void {
    if (this.closedWith) throw new ViewerError(`viewer ${this.id} is closed (${this.closedWith})`);
  }
}
