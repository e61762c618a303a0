// Loops a pre-encoded clip with continuous RTP timestamps: the clip restarts, the clock never does.
import { EventEmitter } from 'node:events';
import type { Clip } from './clip';
import { FrameClock } from './frame-clock';
import { RTP_CLOCK, type VideoSource, type VideoSourceEvents } from './video-source';

export class LoopSource extends EventEmitter<VideoSourceEvents> implements VideoSource {
  readonly fps: number;
  private readonly clock: FrameClock;
  private frozen = false;

  constructor(
    private readonly clip: Clip,
    fps: number,
    private readonly now: () => number,
  ) {
    super();
    this.fps = fps;
    this.clock = new FrameClock(fps, (i) => this.emitFrame(i));
  }

  get sps(): Buffer {
    return this.clip.config.sps;
  }
  get pps(): Buffer {
    return this.clip.config.pps;
  }
  get width(): number {
    return this.clip.width;
  }
  get height(): number {
    return this.clip.height;
  }
  get durationSec(): number {
    return this.clip.frames.length / this.fps;
  }

  /** Seconds into the clip that the stream is showing now. */
  positionSec(): number {
    return (this.clock.elapsedMs() / 1000) % this.durationSec;
  }

  start(): void {
    this.clock.start();
  }

  stop(): void {
    this.clock.stop();
  }

  /** A frozen camera keeps its clock running but sends nothing, like a hung encoder. */
  freeze(on: boolean): void {
    this.frozen = on;
  }

  private emitFrame(index: number): void {
    if (this.frozen) return;
    const f = this.clip.frames[index % this.clip.frames.length];
    this.emit('frame', { nals: f.nals, keyframe: f.keyframe, rtpTime: (index * RTP_CLOCK) / this.fps, wallMs: this.now() });
  }
}
