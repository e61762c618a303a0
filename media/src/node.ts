// A media node: serves the streams the control plane assigns it, starts each on demand,
// counts who uses it (viewers, analytics, recordings) and stops it a while after the last
// one leaves. Several nodes can stand behind one wall; each reports id, address, capacity, load.
import { EventEmitter } from 'node:events';
import { normaliseFrameOptions, type FrameOptions } from './frames/frame-hub';
import type { FrameSubscription } from './frames/frame-subscription';
import { inputProtocol, type IngestSource, type RtpOutput } from './ingest/ffmpeg-args';
import { MediaStream, type MediaStreamOptions, type StreamStatus } from './stream';

export interface StreamSource extends IngestSource {
  /** Which camera profile this is (the server picks main or sub per tile size). */
  profile?: 'main' | 'sub';
}

export interface MediaNodeOptions extends MediaStreamOptions {
  id: string;
  /** Base URL where this node's media HTTP routes are reachable, e.g. http://10.0.0.5:8080. */
  address: string;
  /** Most streams this node relays at once. */
  capacity?: number;
  /** A stream keeps running this long after its last user leaves (a quick re-open is instant). */
  idleStopMs?: number;
  /** An HLS viewer counts as present for this long after its last request. */
  hlsViewerLeaseMs?: number;
}

export interface MediaNodeInfo {
  id: string;
  address: string;
  capacity: number;
  /** Running streams. */
  load: number;
  streams: StreamStatus[];
}

export class CapacityError extends Error {
  constructor(readonly capacity: number) {
    super(`media node is full (${capacity} streams)`);
  }
}

export class UnknownStreamError extends Error {
  constructor(readonly streamId: string) {
    super(`stream '${streamId}' is not assigned to this node`);
  }
}

// Reasons that are people watching, as opposed to analytics, recordings or pins.
const VIEWER_REASON = /^(viewer|hls|webrtc):/;

interface Entry {
  stream: MediaStream;
  holders: Map<string, number>;
  idleTimer: NodeJS.Timeout | null;
}

export interface MediaNodeEvents {
  status: [StreamStatus];
  stopped: [streamId: string];
}

export class MediaNode extends EventEmitter<MediaNodeEvents> {
  readonly id: string;
  readonly address: string;
  readonly capacity: number;
  private readonly opts: MediaNodeOptions;
  private readonly assigned = new Map<string, StreamSource>();
  private readonly entries = new Map<string, Entry>();
  private readonly hlsLeases = new Map<string, NodeJS.Timeout>();
  /** Stops in flight, so close() also waits for streams already leaving. */
  private readonly stopping = new Set<Promise<void>>();
  private closed = false;

  constructor(opts: MediaNodeOptions) {
    super();
    this.opts = opts;
    this.id = opts.id;
    this.address = opts.address;
    this.capacity = opts.capacity ?? 64;
  }

  info(): MediaNodeInfo {
    return { id: this.id, address: this.address, capacity: this.capacity, load: this.entries.size, streams: this.statuses() };
  }

  statuses(): StreamStatus[] {
    return [...this.entries.values()].map((e) => e.stream.status());
  }

  status(streamId: string): StreamStatus | undefined {
    return this.entries.get(streamId)?.stream.status();
  }

  /** The control plane tells the node which cameras it serves; nothing starts until acquired. */
  assign(streamId: string, source: StreamSource): void {
    validateStreamId(streamId);
    inputProtocol(source.url);
    this.assigned.set(streamId, source);
  }

  async unassign(streamId: string): Promise<void> {
    this.assigned.delete(streamId);
    await this.stopStream(streamId);
  }

  isKnown(streamId: string): boolean {
    return this.assigned.has(streamId) || this.entries.has(streamId);
  }

  getStream(streamId: string): MediaStream | undefined {
    return this.entries.get(streamId)?.stream;
  }

  /**
   * Takes a reference on a stream for `reason` (e.g. "webrtc:<peerId>", "frames:plates", "pin:wall"),
   * starting it if needed. `source` may be left out for an assigned stream.
   */
  acquire(streamId: string, source: StreamSource | undefined, reason: string): MediaStream {
    if (this.closed) throw new Error('media node is closed');
    validateStreamId(streamId);
    let entry = this.entries.get(streamId);
    if (!entry) {
      const src = source ?? this.assigned.get(streamId);
      if (!src) throw new UnknownStreamError(streamId);
      inputProtocol(src.url);
      if (this.entries.size >= this.capacity) throw new CapacityError(this.capacity);
      const stream = new MediaStream(streamId, src, this.opts);
      stream.on('status', (s) => this.emit('status', s));
      entry = { stream, holders: new Map(), idleTimer: null };
      this.entries.set(streamId, entry);
      stream.start();
    }
    if (entry.idleTimer) {
      clearTimeout(entry.idleTimer);
      entry.idleTimer = null;
    }
    entry.holders.set(reason, (entry.holders.get(reason) ?? 0) + 1);
    this.updateViewers(entry);
    return entry.stream;
  }

  release(streamId: string, reason: string): void {
    const entry = this.entries.get(streamId);
    const count = entry?.holders.get(reason);
    if (!entry || !count) return;
    if (count > 1) entry.holders.set(reason, count - 1);
    else entry.holders.delete(reason);
    this.updateViewers(entry);
    if (entry.holders.size > 0) return;
    entry.idleTimer = setTimeout(() => void this.stopStream(streamId), this.opts.idleStopMs ?? 30_000);
  }

  /** HLS has no session: each request from a viewer extends its lease on the stream. */
  touchHlsViewer(streamId: string, viewerKey: string): MediaStream {
    return this.touch(streamId, `hls:${viewerKey}`);
  }

  /** A reference that lapses by itself `hlsViewerLeaseMs` after the last touch. */
  touch(streamId: string, reason: string): MediaStream {
    const leaseKey = `${streamId}\n${reason}`;
    const existing = this.hlsLeases.get(leaseKey);
    let stream: MediaStream;
    if (existing) {
      clearTimeout(existing);
      stream = this.entries.get(streamId)!.stream;
    } else {
      stream = this.acquire(streamId, undefined, reason);
    }
    const timer = setTimeout(() => {
      this.hlsLeases.delete(leaseKey);
      this.release(streamId, reason);
    }, this.opts.hlsViewerLeaseMs ?? 15_000);
    this.hlsLeases.set(leaseKey, timer);
    return stream;
  }

  /** Decoded frames for analytics; the stream stays up while the subscription is open. */
  subscribeFrames(streamId: string, opts: FrameOptions = {}, source?: StreamSource): FrameSubscription {
    const o = normaliseFrameOptions(opts); // bad options must not start a camera
    const reason = `frames:${o.fps}:${o.width}:${o.format}`;
    const stream = this.acquire(streamId, source, reason);
    let sub: FrameSubscription;
    try {
      sub = stream.subscribeFrames(o);
    } catch (err) {
      this.release(streamId, reason);
      throw err;
    }
    const close = sub.close.bind(sub);
    sub.close = () => {
      if (sub.isClosed) return;
      close();
      this.release(streamId, reason);
    };
    return sub;
  }

  /** For the SFU: an RTP leg from the same ffmpeg (restarts it once). */
  addRtpOutput(streamId: string, out: RtpOutput): void {
    const stream = this.entries.get(streamId)?.stream;
    if (!stream) throw new UnknownStreamError(streamId);
    stream.ingest.addRtpOutput(out);
  }

  removeRtpOutput(streamId: string, out: Pick<RtpOutput, 'ip' | 'port'>): void {
    this.entries.get(streamId)?.stream.ingest.removeRtpOutput(out.ip, out.port);
  }

  /** Stops every stream and child process. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.hlsLeases.values()) clearTimeout(t);
    this.hlsLeases.clear();
    await Promise.all([...[...this.entries.keys()].map((id) => this.stopStream(id)), ...this.stopping]);
  }

  private async stopStream(streamId: string): Promise<void> {
    const entry = this.entries.get(streamId);
    if (!entry) return;
    this.entries.delete(streamId);
    if (entry.idleTimer) clearTimeout(entry.idleTimer);
    for (const [key, timer] of this.hlsLeases) {
      if (key.startsWith(`${streamId}\n`)) {
        clearTimeout(timer);
        this.hlsLeases.delete(key);
      }
    }
    const done = entry.stream.stop();
    this.stopping.add(done);
    try {
      await done;
    } finally {
      this.stopping.delete(done);
    }
    this.emit('stopped', streamId);
  }

  private updateViewers(entry: Entry): void {
    let viewers = 0;
    for (const [reason, n] of entry.holders) if (VIEWER_REASON.test(reason)) viewers += n;
    entry.stream.setViewers(viewers);
  }
}

const STREAM_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function validateStreamId(streamId: string): void {
  if (!STREAM_ID.test(streamId) || streamId.includes('..')) throw new Error(`invalid stream id '${streamId}'`);
}
