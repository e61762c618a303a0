// One live stream on a media node: its ingest and everything fed from that one pull
// (LL-HLS window, snapshots, analytics frames), plus the status the wall shows.
import { EventEmitter } from 'node:events';
import { FrameHub, type FrameOptions } from './frames/frame-hub';
import type { FrameSubscription } from './frames/frame-subscription';
import { LlHlsPackager, type LlHlsOptions } from './hls/ll-hls-packager';
import type { IngestSource } from './ingest/ffmpeg-args';
import { Ingest, type IngestOptions, type IngestState } from './ingest/ingest';
import { Snapshotter } from './snapshot/snapshotter';

export interface StreamStatus {
  streamId: string;
  state: IngestState;
  lastError: string | null;
  codec: string | null;
  profile: string | null;
  /** Re-encoded to H.264 Baseline (opt-in) because the camera's codec is unplayable. */
  transcoding: boolean;
  width: number | null;
  height: number | null;
  fps: number | null;
  /** Bits per second of the relayed video over the last few seconds. */
  bitrate: number | null;
  viewers: number;
  /** ms since epoch of the first time it went live. */
  startedAt: number | null;
}

export interface MediaStreamOptions {
  ingest?: Partial<IngestOptions>;
  hls?: Partial<LlHlsOptions>;
}

const BITRATE_WINDOW_MS = 5000;

export class MediaStream extends EventEmitter<{ status: [StreamStatus] }> {
  readonly ingest: Ingest;
  readonly packager: LlHlsPackager;
  readonly snapshots: Snapshotter;
  readonly frames: FrameHub;
  viewers = 0;
  private samples: { at: number; bytes: number }[] = [];

  constructor(
    readonly streamId: string,
    readonly source: IngestSource,
    opts: MediaStreamOptions = {},
  ) {
    super();
    this.packager = new LlHlsPackager(opts.hls);
    // One fMP4 fragment is one LL-HLS part: ffmpeg cuts them at the part target.
    this.ingest = new Ingest(source, { ...opts.ingest, fragmentMs: this.packager.opts.partTargetS * 1000 });
    this.snapshots = new Snapshotter(this.packager);
    this.frames = new FrameHub();
    this.ingest.on('init', (init) => {
      this.packager.setInit(init);
      this.frames.setInit(init);
    });
    this.ingest.on('fragment', (f) => {
      this.packager.addFragment(f);
      this.frames.push(f);
      this.samples.push({ at: f.receivedAt, bytes: f.data.length });
      while (this.samples.length && this.samples[0].at < f.receivedAt - BITRATE_WINDOW_MS) this.samples.shift();
    });
    this.ingest.on('state', () => {
      this.packager.wake();
      this.emitStatus();
    });
    this.ingest.on('codec', () => this.emitStatus());
  }

  start(): void {
    this.ingest.start();
  }

  async stop(): Promise<void> {
    this.packager.close();
    await Promise.all([this.ingest.stop(), this.frames.close(), this.snapshots.settled()]);
  }

  subscribeFrames(opts: FrameOptions): FrameSubscription {
    return this.frames.subscribe(opts);
  }

  setViewers(n: number): void {
    if (n === this.viewers) return;
    this.viewers = n;
    this.emitStatus();
  }

  status(): StreamStatus {
    const { codec, state, lastError, startedAt, init } = this.ingest;
    return {
      streamId: this.streamId,
      state,
      lastError,
      codec: codec?.codec ?? null,
      profile: codec?.profile ?? null,
      transcoding: this.ingest.transcoding,
      width: init?.track.width || codec?.width || null,
      height: init?.track.height || codec?.height || null,
      fps: codec?.fps ?? null,
      bitrate: this.bitrate(),
      viewers: this.viewers,
      startedAt,
    };
  }

  private bitrate(): number | null {
    const s = this.samples;
    if (s.length < 2 || this.ingest.state !== 'live') return null;
    const spanMs = s[s.length - 1].at - s[0].at;
    if (spanMs <= 0) return null;
    const bytes = s.slice(1).reduce((n, x) => n + x.bytes, 0);
    return Math.round((bytes * 8 * 1000) / spanMs);
  }

  private emitStatus(): void {
    this.emit('status', this.status());
  }
}
