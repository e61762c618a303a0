// Joins the camera's single ingest to the SFU: the first WebRTC viewer of a stream opens a
// mediasoup room and adds an RTP leg to the camera's ffmpeg; the room closes (and the leg goes)
// a while after its last viewer leaves.
import type { FastifyBaseLogger } from 'fastify';
import type { MediaNode } from '../../../media/src';
import { profileLevelIdFromProbe, type Sfu, type StreamRoom } from '../../../media/src/webrtc';

const HOLD_REASON = 'webrtc:room';

export class WebRtcRooms {
  private readonly opening = new Map<string, Promise<StreamRoom>>();
  private readonly idleTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly node: MediaNode,
    readonly sfu: Sfu,
    private readonly log: FastifyBaseLogger,
    private readonly idleCloseMs = 20_000,
  ) {}

  /** The live room of a stream, opening it (and starting the camera) when needed. */
  room(streamId: string): Promise<StreamRoom> {
    const existing = this.sfu.getStream(streamId);
    if (existing && !existing.closed) {
      this.watchIdle(streamId, existing);
      return Promise.resolve(existing);
    }
    let p = this.opening.get(streamId);
    if (!p) {
      p = this.open(streamId).finally(() => this.opening.delete(streamId));
      this.opening.set(streamId, p);
    }
    return p;
  }

  private async open(streamId: string): Promise<StreamRoom> {
    const stream = this.node.acquire(streamId, undefined, HOLD_REASON);
    try {
      // The RTP codec must match what the camera sends; wait for ffmpeg to report it.
      const codec = stream.ingest.codec ?? (await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('camera did not start within 10 s')), 10_000);
        stream.ingest.once('codec', (info) => {
          clearTimeout(timer);
          resolve(info);
        });
      }));
      const profile = (codec as { profile: string | null }).profile ?? 'Constrained Baseline';
      const room = await this.sfu.openStream(streamId, { profileLevelId: profileLevelIdFromProbe(profile, 0x1f) });
      // The whole input, fixed source ports included: the PlainTransport locks onto the first
      // source it hears, so a restarted ffmpeg must send from the same ports.
      const input = room.getRtpInput();
      this.node.addRtpOutput(streamId, input);
      // A new ffmpeg numbers its RTP afresh; tell the room so viewers resync at once.
      const onNewProcess = () => room.inputRestarted();
      stream.ingest.on('init', onNewProcess);
      room.once('close', () => {
        stream.ingest.off('init', onNewProcess);
        this.node.removeRtpOutput(streamId, input);
        this.node.release(streamId, HOLD_REASON);
      });
      this.watchIdle(streamId, room);
      return room;
    } catch (err) {
      this.node.release(streamId, HOLD_REASON);
      throw err;
    }
  }

  private watchIdle(streamId: string, room: StreamRoom): void {
    if (this.idleTimers.has(streamId)) return;
    const timer = setInterval(() => {
      if (room.closed) {
        clearInterval(timer);
        this.idleTimers.delete(streamId);
        return;
      }
      if (room.viewerCount > 0) return;
      clearInterval(timer);
      this.idleTimers.delete(streamId);
      this.log.debug({ streamId }, 'closing idle WebRTC room');
      room.close();
    }, this.idleCloseMs);
    timer.unref();
    this.idleTimers.set(streamId, timer);
  }

  async close(): Promise<void> {
    for (const t of this.idleTimers.values()) clearInterval(t);
    this.idleTimers.clear();
    await this.sfu.close();
  }
}
