// One decoding ffmpeg fed with the ingest's fMP4 (init, then fragments from a keyframe on):
// low-rate, scaled raw frames for analytics without a second pull from the camera.
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { Fragment, InitSegment } from '../ingest/ingest';
import { frameSize } from './frame-size';

export type PixelFormat = 'rgb24' | 'rgba';

export interface Frame {
  data: Buffer;
  width: number;
  height: number;
  format: PixelFormat;
  /** Wall-clock ms when the decoder produced it. */
  capturedAt: number;
  seq: number;
}

export interface FrameDecoderOptions {
  fps: number;
  width: number;
  format: PixelFormat;
  ffmpegPath?: string;
}

// Past this much unread input the decoder is behind: skip to the next keyframe instead of queueing.
const MAX_QUEUED_INPUT = 4 * 1024 * 1024;

export class FrameDecoder extends EventEmitter<{ frame: [Frame]; error: [Error] }> {
  private child: ChildProcess | null = null;
  private waitingForKeyframe = true;
  private seq = 0;
  private closed = false;

  constructor(private readonly opts: FrameDecoderOptions) {
    super();
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** A new init (ingest restarted) needs a new decoder: timestamps and parameters may differ. */
  setInit(init: InitSegment): void {
    if (this.closed) return;
    void this.killChild();
    const { width, height } = frameSize(init.track.width, init.track.height, this.opts.width);
    const bytesPerFrame = width * height * (this.opts.format === 'rgba' ? 4 : 3);
    const child = spawn(
      this.opts.ffmpegPath ?? process.env.FFMPEG_PATH ?? 'ffmpeg',
      [
        '-hide_banner', '-nostdin', '-loglevel', 'error', '-f', 'mp4', '-i', 'pipe:0',
        '-vf', `fps=${this.opts.fps},scale=${width}:${height}`, '-f', 'rawvideo', '-pix_fmt', this.opts.format, 'pipe:1',
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    this.child = child;
    this.waitingForKeyframe = true;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    child.stdout!.on('data', (chunk: Buffer) => {
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes < bytesPerFrame) return;
      let all = Buffer.concat(pending, pendingBytes);
      while (all.length >= bytesPerFrame) {
        // Copy out so a consumer holding a frame does not pin the whole read buffer.
        const data = Buffer.from(all.subarray(0, bytesPerFrame));
        all = all.subarray(bytesPerFrame);
        this.emit('frame', { data, width, height, format: this.opts.format, capturedAt: Date.now(), seq: this.seq++ });
      }
      pending = all.length ? [all] : [];
      pendingBytes = all.length;
    });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString()).slice(-1000);
    });
    child.stdin!.on('error', () => {});
    child.once('close', (code) => {
      if (this.child !== child) return;
      this.child = null;
      if (!this.closed) this.emit('error', new Error(`frame decoder exited (code ${code}): ${stderr.trim().split('\n').pop() ?? ''}`));
    });
    child.stdin!.write(init.data);
  }

  push(fragment: Fragment): void {
    const stdin = this.child?.stdin;
    if (!stdin || stdin.destroyed) return;
    if (stdin.writableLength > MAX_QUEUED_INPUT) this.waitingForKeyframe = true;
    if (this.waitingForKeyframe) {
      if (!fragment.info.independent || stdin.writableLength > MAX_QUEUED_INPUT) return;
      this.waitingForKeyframe = false;
    }
    stdin.write(fragment.data);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.killChild();
  }

  private killChild(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
    child.kill('SIGKILL');
    return exited;
  }
}
