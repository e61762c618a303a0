// Live camera: draws each frame from the camera clock, encodes it with one ffmpeg process into a
// main and a sub stream (FLV on stdout and fd 3), and stamps each frame with its capture time.
// The encoder runs only while someone watches (plus a short linger); it runs once at start to learn
// the parameter sets that DESCRIBE needs.
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import { FlvDemuxer } from './flv-demuxer';
import { FrameClock } from './frame-clock';
import { RTP_CLOCK, type VideoSource, type VideoSourceEvents } from './video-source';

export interface LiveEncoderOptions {
  fps: number;
  /** size the frames are drawn at; the sub stream uses it as is */
  draw: { width: number; height: number; fn: (ctx: SKRSContext2D, width: number, height: number, nowMs: number) => void };
  main: { width: number; height: number };
  /** ffmpeg scaler for the main stream: `neighbor` keeps machine-read blocks crisp */
  mainScaleFlags?: string;
  now: () => number;
  /** how long the encoder keeps running after the last viewer leaves */
  lingerMs?: number;
}

/** One encoded output of the live encoder. */
export class LiveStream extends EventEmitter<VideoSourceEvents> implements VideoSource {
  sps: Buffer = Buffer.alloc(0);
  pps: Buffer = Buffer.alloc(0);
  readonly captureTimes: number[] = [];

  constructor(
    readonly width: number,
    readonly height: number,
    readonly fps: number,
    private readonly onDemand: (s: LiveStream, active: boolean) => void,
  ) {
    super();
  }

  demand(active: boolean): void {
    this.onDemand(this, active);
  }
}

const STARTUP_TIMEOUT_MS = 10_000;
const RESPAWN_DELAY_MS = 1000;

export class LiveEncoder {
  readonly main: LiveStream;
  readonly sub: LiveStream;
  private ff?: ChildProcess;
  private spawning?: Promise<void>;
  private readonly clock: FrameClock;
  private readonly canvas;
  private readonly demanded = new Set<LiveStream>();
  private idleTimer?: NodeJS.Timeout;
  private frozen = false;
  private congested = false;
  private stopped = false;

  constructor(private readonly opts: LiveEncoderOptions) {
    const onDemand = (s: LiveStream, active: boolean): void => this.setDemand(s, active);
    this.main = new LiveStream(opts.main.width, opts.main.height, opts.fps, onDemand);
    this.sub = new LiveStream(opts.draw.width, opts.draw.height, opts.fps, onDemand);
    this.canvas = createCanvas(opts.draw.width, opts.draw.height);
    this.clock = new FrameClock(opts.fps, (_i, dueMs) => this.captureFrame(dueMs), false);
  }

  /** Starts the encoder once so both streams know their SPS/PPS; it idles down if nobody watches. */
  async start(): Promise<void> {
    await this.ensureRunning();
    this.scheduleIdleStop();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.idleTimer);
    this.halt();
  }

  freeze(on: boolean): void {
    this.frozen = on;
  }

  get running(): boolean {
    return this.ff !== undefined;
  }

  private setDemand(s: LiveStream, active: boolean): void {
    if (active) this.demanded.add(s);
    else this.demanded.delete(s);
    if (this.demanded.size === 0) return this.scheduleIdleStop();
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    void this.ensureRunning().catch(() => undefined);
  }

  private scheduleIdleStop(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.demanded.size === 0) this.halt();
    }, this.opts.lingerMs ?? 5000);
    this.idleTimer.unref();
  }

  private ensureRunning(): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('live encoder stopped'));
    if (this.ff) return Promise.resolve();
    this.spawning ??= this.spawnEncoder().finally(() => (this.spawning = undefined));
    return this.spawning;
  }

  private halt(): void {
    this.clock.stop();
    const ff = this.ff;
    this.ff = undefined;
    ff?.kill('SIGKILL');
    this.main.captureTimes.length = 0;
    this.sub.captureTimes.length = 0;
    this.congested = false;
  }

  private async spawnEncoder(): Promise<void> {
    const { draw, main, fps } = this.opts;
    const x264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-profile:v', 'baseline', '-pix_fmt', 'yuv420p', '-g', String(fps), '-bf', '0', '-x264-params', `keyint=${fps}:min-keyint=${fps}:scenecut=0`];
    const ff = spawn(
      'ffmpeg',
      [
        '-hide_banner', '-loglevel', 'error',
        '-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${draw.width}x${draw.height}`, '-r', String(fps), '-i', 'pipe:0',
        '-filter_complex', `[0:v]split=2[a][b];[a]scale=${main.width}:${main.height}:flags=${this.opts.mainScaleFlags ?? 'bicubic'}[m]`,
        '-map', '[m]', ...x264, '-b:v', '1500k', '-flush_packets', '1', '-f', 'flv', 'pipe:1',
        '-map', '[b]', ...x264, '-b:v', '500k', '-flush_packets', '1', '-f', 'flv', 'pipe:3',
      ],
      { stdio: ['pipe', 'pipe', 'pipe', 'pipe'] },
    );
    this.ff = ff;
    ff.stdin!.on('error', () => undefined); // EPIPE when ffmpeg dies; 'exit' reports it
    ff.stderr!.resume();
    ff.once('exit', () => {
      if (this.ff !== ff) return; // halted on purpose
      this.halt();
      // An encoder that died under a viewer comes back once, a second later.
      if (this.demanded.size && !this.stopped) setTimeout(() => void this.ensureRunning().catch(() => undefined), RESPAWN_DELAY_MS).unref();
    });
    const ready = Promise.all([this.wire(ff, ff.stdout!, this.main), this.wire(ff, ff.stdio[3] as Readable, this.sub)]);
    this.clock.start();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('live encoder produced no parameter sets')), STARTUP_TIMEOUT_MS);
    });
    const died = new Promise<never>((_, reject) => ff.once('exit', (code) => reject(new Error(`live encoder exited (${code})`))));
    try {
      await Promise.race([ready, timeout, died]);
    } catch (err) {
      if (this.ff === ff) this.halt();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  private wire(ff: ChildProcess, out: Readable, stream: LiveStream): Promise<void> {
    const demux = new FlvDemuxer();
    out.on('data', (c: Buffer) => demux.push(c));
    demux.on('frame', (f) => {
      if (this.ff !== ff) return;
      // No B-frames: frames leave the encoder in the order they went in.
      const captured = stream.captureTimes.shift() ?? this.opts.now();
      const rtpTime = Math.round((captured * RTP_CLOCK) / 1000);
      if (!this.frozen) stream.emit('frame', { nals: f.nals, keyframe: f.keyframe, rtpTime, wallMs: captured });
    });
    return new Promise((resolve, reject) => {
      demux.once('config', (c) => {
        stream.sps = c.sps;
        stream.pps = c.pps;
        resolve();
      });
      demux.once('error', reject);
    });
  }

  /** Captures the frame due at dueMs (wall clock): like a sensor, exposure instants sit on the frame grid. */
  private captureFrame(dueMs: number): void {
    const stdin = this.ff?.stdin;
    if (!stdin || stdin.destroyed) return;
    // An encoder that cannot keep up drops frames here rather than queueing latency.
    if (this.congested) return;
    const now = dueMs + (this.opts.now() - Date.now());
    const ctx = this.canvas.getContext('2d');
    this.opts.draw.fn(ctx, this.opts.draw.width, this.opts.draw.height, now);
    this.main.captureTimes.push(now);
    this.sub.captureTimes.push(now);
    // data() hands back a fresh copy of the pixels, so it can sit in the pipe's queue as is.
    if (!stdin.write(this.canvas.data())) {
      this.congested = true;
      stdin.once('drain', () => (this.congested = false));
    }
  }
}
