// One live stream on the SFU. ffmpeg (the camera's single ingest) sends RTP H.264, codec copy,
// into a comedia PlainTransport on the stream's origin router; viewers consume there, or on
// another worker's router through pipeToRouter once the origin is full.
import { randomInt } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { types as ms } from 'mediasoup';
import { h264ProfileOf } from './codecs';
import type { RouterSlot } from './router-slot';
import { freeUdpPorts } from './udp-ports';
import { Viewer, type ViewerOptions } from './viewer';

/** Where and how ffmpeg must send the stream's RTP. */
export interface RtpInput {
  ip: string;
  port: number;
  rtcpPort: number;
  /** Fixed source ports: the transport accepts packets only from the first source it heard. */
  localRtpPort: number;
  localRtcpPort: number;
  payloadType: number;
  ssrc: number;
  codec: { mimeType: 'video/H264'; clockRate: 90000; parameters: { 'packetization-mode': 1; 'profile-level-id': string } };
  /** The ffmpeg output URL with all of the above. */
  url: string;
}

export interface StreamRoomOptions {
  /** The camera's H.264 profile-level-id (see profileLevelIdFromProbe); Constrained Baseline by default. */
  profileLevelId?: string;
}

export type StreamCloseReason = 'closed' | 'router-closed';

/** Chooses the router a new viewer joins: the origin while it has room, else another one. */
export type SlotPicker = (origin: RouterSlot) => RouterSlot;

const PAYLOAD_TYPE = 96;
/** Keyframes whose RTP clock disagrees with the wall clock by more than this mark a new sender. */
const DISCONTINUITY_MS = 3_000;

/**
 * The muxer half of an ffmpeg command that feeds `input`. Put the codec options in front, e.g.
 * `-map 0:v:0 -c:v copy -bsf:v dump_extra=freq=keyframe` (SPS/PPS before every IDR, since an
 * RTSP camera may send them only in its SDP and a browser that joins late would never see them).
 */
export function ffmpegRtpOutputArgs(input: RtpInput): string[] {
  return ['-an', '-f', 'rtp', '-payload_type', String(input.payloadType), '-ssrc', String(input.ssrc), input.url];
}

export class StreamRoom extends EventEmitter<{ live: []; resync: []; close: [reason: StreamCloseReason] }> {
  private readonly viewers = new Set<Viewer>();
  /** Producers piped into other routers, keyed by router id; same producer id (keepId). */
  private readonly piped = new Map<string, Promise<ms.Producer>>();
  /** Viewers of this stream per router id, including those still being set up. */
  private readonly users = new Map<string, number>();
  private closedWith: StreamCloseReason | undefined;
  private receiving = false;
  private lastKeyFrame: { rtpTimestamp: number; at: number } | undefined;

  private constructor(
    readonly streamId: string,
    readonly origin: RouterSlot,
    private readonly plain: ms.PlainTransport,
    readonly producer: ms.Producer,
    private readonly rtpInput: RtpInput,
    private readonly pickSlot: SlotPicker,
    private readonly viewerOptions: ViewerOptions,
  ) {
    super();
    plain.on('tuple', () => {
      this.receiving = true;
      this.emit('live');
    });
    plain.on('routerclose', () => this.close('router-closed'));
    // One trace event per keyframe: cheap, and enough to notice an ingest restart nobody reported.
    producer.on('trace', (trace) => this.onKeyFrame(trace));
    producer.enableTraceEvent(['keyframe']).catch(() => undefined);
  }

  static async open(
    streamId: string,
    origin: RouterSlot,
    pickSlot: SlotPicker,
    viewerOptions: ViewerOptions,
    options: StreamRoomOptions = {},
  ): Promise<StreamRoom> {
    const profileLevelId = (options.profileLevelId ?? '42e01f').toLowerCase();
    h264ProfileOf(profileLevelId); // refuse what browsers cannot play before opening anything
    const listen = origin.listenInfo('udp');
    const [localRtpPort, localRtcpPort] = await freeUdpPorts(2, listen.ip);
    const plain = await origin.router.createPlainTransport({ listenInfo: listen, rtcpMux: false, comedia: true, appData: { streamId } });
    try {
      // ffmpeg's -ssrc is a signed 32-bit option: stay in the positive half.
      const ssrc = randomInt(1, 2 ** 31 - 1);
      const codec = {
        mimeType: 'video/H264',
        clockRate: 90000,
        parameters: { 'packetization-mode': 1, 'profile-level-id': profileLevelId },
      } as const;
      const producer = await plain.produce({
        kind: 'video',
        rtpParameters: {
          codecs: [{ ...codec, payloadType: PAYLOAD_TYPE, rtcpFeedback: [{ type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }] }],
          encodings: [{ ssrc }],
        },
        appData: { streamId },
      });
      const ip = listen.announcedAddress ?? listen.ip;
      const port = plain.tuple.localPort;
      const rtcpPort = plain.rtcpTuple?.localPort;
      if (rtcpPort === undefined) throw new Error('PlainTransport without rtcpMux has no RTCP port');
      const url = `rtp://${ip}:${port}?rtcpport=${rtcpPort}&localrtpport=${localRtpPort}&localrtcpport=${localRtcpPort}&pkt_size=1200`;
      const input: RtpInput = { ip, port, rtcpPort, localRtpPort, localRtcpPort, payloadType: PAYLOAD_TYPE, ssrc, codec, url };
      return new StreamRoom(streamId, origin, plain, producer, input, pickSlot, viewerOptions);
    } catch (err) {
      plain.close();
      throw err;
    }
  }

  get closed(): boolean {
    return this.closedWith !== undefined;
  }

  /**
   * Call when the ingest's ffmpeg (re)starts. A new ffmpeg numbers its RTP packets from a random
   * point; consumers that keep forwarding them jump backwards and Chromium stalls. Pausing and
   * resuming the producer makes every consumer re-sync its sequence numbers on the next keyframe
   * (a fresh ffmpeg starts with one). Without the call, a restart is still noticed at the first
   * keyframe whose timestamp breaks with the wall clock, one GOP later.
   */
  async inputRestarted(): Promise<void> {
    if (this.closedWith) return;
    this.lastKeyFrame = undefined;
    await this.producer.pause();
    await this.producer.resume();
    this.emit('resync');
  }

  /** True once RTP has arrived from the ingest. */
  get live(): boolean {
    return this.receiving;
  }

  /** Resolves when RTP has arrived (at once if it already has); rejects if the stream closes first. */
  whenLive(): Promise<void> {
    if (this.receiving) return Promise.resolve();
    if (this.closedWith) return Promise.reject(new Error(`stream ${this.streamId} is closed`));
    return new Promise((resolve, reject) => {
      const onClose = (): void => reject(new Error(`stream ${this.streamId} closed before any RTP arrived`));
      this.once('close', onClose);
      this.once('live', () => {
        this.off('close', onClose);
        resolve();
      });
    });
  }

  get viewerCount(): number {
    return this.viewers.size;
  }

  getRtpInput(): RtpInput {
    return this.rtpInput;
  }

  /** A new viewer on the origin router, or on the least loaded other one via pipeToRouter. */
  async addViewer(): Promise<Viewer> {
    if (this.closedWith) throw new Error(`stream ${this.streamId} is closed`);
    const slot = this.pickSlot(this.origin);
    // Counted before the awaits so a viewer leaving meanwhile cannot unpipe under our feet.
    this.users.set(slot.router.id, (this.users.get(slot.router.id) ?? 0) + 1);
    let viewer: Viewer;
    try {
      if (slot !== this.origin) await this.pipeTo(slot);
      viewer = await Viewer.create(this.streamId, slot, this.producer.id, this.viewerOptions);
    } catch (err) {
      this.release(slot);
      throw err;
    }
    this.viewers.add(viewer);
    viewer.once('close', () => {
      this.viewers.delete(viewer);
      this.release(slot);
    });
    if (this.closedWith) {
      viewer.close('stream-closed');
      throw new Error(`stream ${this.streamId} closed while a viewer joined`);
    }
    return viewer;
  }

  close(reason: StreamCloseReason = 'closed'): void {
    if (this.closedWith) return;
    this.closedWith = reason;
    for (const v of [...this.viewers]) v.close('stream-closed');
    // Closing the producer closes its piped copies in other routers too.
    this.plain.close();
    this.emit('close', reason);
  }

  private onKeyFrame(trace: ms.ProducerTraceEventData): void {
    const rtpTimestamp = (trace.info as { rtpPacket?: { timestamp?: unknown } } | undefined)?.rtpPacket?.timestamp;
    if (trace.type !== 'keyframe' || typeof rtpTimestamp !== 'number') return;
    const at = Date.now();
    const last = this.lastKeyFrame;
    this.lastKeyFrame = { rtpTimestamp, at };
    if (!last) return;
    // Signed 32-bit difference on the 90 kHz clock, so wrap-around is not a jump.
    const rtpMs = ((rtpTimestamp - last.rtpTimestamp) | 0) / 90;
    if (Math.abs(rtpMs - (at - last.at)) > DISCONTINUITY_MS) void this.inputRestarted().catch(() => undefined);
  }

  private pipeTo(slot: RouterSlot): Promise<ms.Producer> {
    let piping = this.piped.get(slot.router.id);
    if (!piping) {
      piping = this.origin.router.pipeToRouter({ producerId: this.producer.id, router: slot.router }).then(({ pipeProducer }) => {
        if (!pipeProducer) throw new Error('pipeToRouter returned no producer');
        return pipeProducer;
      });
      piping.catch(() => this.piped.delete(slot.router.id));
      this.piped.set(slot.router.id, piping);
    }
    return piping;
  }

  /** The last viewer of this stream on another router stops the pipe, so no RTP flows to nobody. */
  private release(slot: RouterSlot): void {
    const left = (this.users.get(slot.router.id) ?? 1) - 1;
    if (left > 0) {
      this.users.set(slot.router.id, left);
      return;
    }
    this.users.delete(slot.router.id);
    const piping = this.piped.get(slot.router.id);
    this.piped.delete(slot.router.id);
    // Closing the pipe producer closes its pipe consumer on the origin router too.
    void piping?.then(
      (p) => p.close(),
      () => undefined,
    );
  }
}
