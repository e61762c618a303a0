// The WebRTC relay: mediasoup workers planned from the cores, one Router each. Streams open on the
// least loaded router; viewers join their stream's router until it holds maxViewersPerRouter,
// then another router through pipeToRouter. A worker that dies is replaced; the streams it held
// close with reason "router-closed" so their ingest can open them again.
import { EventEmitter } from 'node:events';
import os from 'node:os';
import type { types as ms } from 'mediasoup';
import { routerMediaCodecs } from './codecs';
import { RouterSlot, type ListenConfig } from './router-slot';
import { StreamRoom, type StreamRoomOptions } from './stream-room';
import type { ViewerOptions } from './viewer';
import { loadMediasoup } from './worker-bin';

export interface SfuOptions {
  /** Worker processes; default planWorkerCount(available cores). */
  workers?: number;
  /** Consumers a router takes before viewers spill to another router (mediasoup: ~500 per worker). */
  maxViewersPerRouter?: number;
  /** Address the worker binds for ffmpeg RTP and WebRTC; 127.0.0.1 by default. */
  listenIp?: string;
  /** Address given to browsers and ffmpeg when it differs from listenIp (NAT, 0.0.0.0). */
  announcedAddress?: string;
  portRange?: { min: number; max: number };
  connectTimeoutMs?: number;
  iceConsentTimeoutS?: number;
  logLevel?: ms.WorkerLogLevel;
}

export interface SfuStats {
  workers: { index: number; pid: number; viewers: number; streams: number }[];
}

/** One worker per core, keeping one core for Node and the ffmpeg ingests when there are several. */
export function planWorkerCount(cores: number): number {
  return Math.max(1, Math.floor(cores) - 1);
}

export class Sfu extends EventEmitter<{ workerdied: [index: number, error: Error]; replacefailed: [index: number, error: Error] }> {
  private readonly streams = new Map<string, StreamRoom>();
  private readonly opening = new Map<string, Promise<StreamRoom>>();
  private closed = false;

  private constructor(
    private readonly mediasoup: typeof import('mediasoup'),
    private readonly slots: RouterSlot[],
    private readonly listen: ListenConfig,
    private readonly capacity: number,
    private readonly logLevel: ms.WorkerLogLevel,
    private readonly viewerOptions: ViewerOptions,
  ) {
    super();
    for (const slot of slots) this.watch(slot);
  }

  static async start(options: SfuOptions = {}): Promise<Sfu> {
    const mediasoup = await loadMediasoup();
    const count = options.workers ?? planWorkerCount(os.availableParallelism());
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`workers must be a positive integer, got ${count}`);
    const listen: ListenConfig = {
      listenIp: options.listenIp ?? '127.0.0.1',
      ...(options.announcedAddress ? { announcedAddress: options.announcedAddress } : {}),
      portRange: options.portRange ?? { min: 40000, max: 49999 },
    };
    const capacity = options.maxViewersPerRouter ?? 400;
    const logLevel = options.logLevel ?? 'warn';
    const viewerOptions = { connectTimeoutMs: options.connectTimeoutMs ?? 15_000, iceConsentTimeoutS: options.iceConsentTimeoutS ?? 30 };
    const slots: RouterSlot[] = [];
    try {
      for (let i = 0; i < count; i++) slots.push(await createSlot(mediasoup, i, capacity, logLevel, listen));
    } catch (err) {
      for (const s of slots) s.close();
      throw err;
    }
    return new Sfu(mediasoup, slots, listen, capacity, logLevel, viewerOptions);
  }

  /** Identical on every router (same codec list), so a browser loads its Device once. */
  get rtpCapabilities(): ms.RtpCapabilities {
    return this.slots[0]!.router.rtpCapabilities;
  }

  getStream(streamId: string): StreamRoom | undefined {
    return this.streams.get(streamId);
  }

  /** The stream's room, opened on the least loaded router if it is not open yet. */
  openStream(streamId: string, options: StreamRoomOptions = {}): Promise<StreamRoom> {
    if (this.closed) return Promise.reject(new Error('SFU is closed'));
    const open = this.streams.get(streamId);
    if (open) return Promise.resolve(open);
    let opening = this.opening.get(streamId);
    if (!opening) {
      const origin = this.leastLoaded(this.slots.filter((s) => !s.router.closed)) ?? this.slots[0]!;
      opening = StreamRoom.open(streamId, origin, (o) => this.pickSlot(o), this.viewerOptions, options)
        .then((room) => {
          this.streams.set(streamId, room);
          room.once('close', () => this.streams.delete(streamId));
          return room;
        })
        .finally(() => this.opening.delete(streamId));
      this.opening.set(streamId, opening);
    }
    return opening;
  }

  stats(): SfuStats {
    return {
      workers: this.slots.map((s) => ({
        index: s.index,
        pid: s.worker.pid,
        viewers: s.viewers,
        streams: [...this.streams.values()].filter((r) => r.origin === s).length,
      })),
    };
  }

  /** WebRTC and RTP transports alive in all workers (asked of the workers, not our bookkeeping). */
  async transportCount(): Promise<number> {
    const counts = await Promise.all(this.slots.map((s) => s.transportCount()));
    return counts.reduce((a, b) => a + b, 0);
  }

  workerPids(): number[] {
    return this.slots.map((s) => s.worker.pid);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.opening.values()]);
    for (const room of [...this.streams.values()]) room.close();
    for (const slot of this.slots) slot.close();
  }

  private pickSlot(origin: RouterSlot): RouterSlot {
    if (origin.hasRoom) return origin;
    const other = this.leastLoaded(this.slots.filter((s) => s.hasRoom));
    if (!other) throw new Error(`SFU is full: ${this.slots.length} routers × ${this.capacity} viewers`);
    return other;
  }

  private leastLoaded(slots: RouterSlot[]): RouterSlot | undefined {
    return slots.reduce<RouterSlot | undefined>((best, s) => (!best || s.viewers < best.viewers ? s : best), undefined);
  }

  private watch(slot: RouterSlot): void {
    slot.worker.on('died', (error) => {
      this.emit('workerdied', slot.index, error);
      if (!this.closed) void this.replace(slot);
    });
  }

  private async replace(dead: RouterSlot): Promise<void> {
    try {
      const slot = await createSlot(this.mediasoup, dead.index, this.capacity, this.logLevel, this.listen);
      if (this.closed) return slot.close();
      this.slots[dead.index] = slot;
      this.watch(slot);
    } catch (err) {
      this.emit('replacefailed', dead.index, err instanceof Error ? err : new Error(String(err)));
    }
  }
}

async function createSlot(
  mediasoup: typeof import('mediasoup'),
  index: number,
  capacity: number,
  logLevel: ms.WorkerLogLevel,
  listen: ListenConfig,
): Promise<RouterSlot> {
  const worker = await mediasoup.createWorker({ logLevel, appData: { index } });
  try {
    const router = await worker.createRouter({ mediaCodecs: routerMediaCodecs() });
    return new RouterSlot(index, worker, router, capacity, listen);
  } catch (err) {
    worker.close();
    throw err;
  }
}
