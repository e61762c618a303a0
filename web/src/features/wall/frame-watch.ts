// Counts the frames a <video> actually presents (requestVideoFrameCallback), so a tile knows it
// is live, measures fps, and notices a picture that froze while the transport still looks fine.
export class FrameWatch {
  frames = 0;
  lastFrameAt = 0;
  /** Receive → display of the newest WebRTC frame, ms (Chromium gives receiveTime for WebRTC only). */
  receiveToDisplayMs: number | null = null;
  private handle = 0;
  private stopped = false;
  private readonly recent: number[] = [];
  private firstFrame: (() => void) | null = null;
  private giveUp: ((err: Error) => void) | null = null;

  constructor(private readonly video: HTMLVideoElement) {
    this.handle = video.requestVideoFrameCallback(this.onFrame);
  }

  private readonly onFrame = (now: number, meta: VideoFrameCallbackMetadata): void => {
    if (this.stopped) return;
    this.frames += 1;
    this.lastFrameAt = now;
    this.recent.push(now);
    while (this.recent.length > 0 && now - this.recent[0] > 2000) this.recent.shift();
    if (meta.receiveTime !== undefined) this.receiveToDisplayMs = meta.expectedDisplayTime - meta.receiveTime;
    this.firstFrame?.();
    this.firstFrame = null;
    this.handle = this.video.requestVideoFrameCallback(this.onFrame);
  };

  /** Frames per second over the last two seconds. */
  get fps(): number {
    if (this.recent.length < 2) return 0;
    return ((this.recent.length - 1) * 1000) / (this.recent[this.recent.length - 1] - this.recent[0]);
  }

  /** Milliseconds since the last presented frame (Infinity before the first). */
  sinceLastFrame(now = performance.now()): number {
    return this.frames ? now - this.lastFrameAt : Infinity;
  }

  /** Resolves at the first presented frame; rejects after timeoutMs. */
  first(timeoutMs: number): Promise<void> {
    if (this.frames) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const settle = (err?: Error) => {
        clearTimeout(timer);
        this.firstFrame = this.giveUp = null;
        if (err) reject(err);
        else resolve();
      };
      const timer = setTimeout(() => settle(new Error(`no picture within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
      this.firstFrame = () => settle();
      this.giveUp = settle;
    });
  }

  /** Stops waiting for the first frame now (first() rejects with `reason`). */
  cancel(reason: string): void {
    this.giveUp?.(new Error(reason));
  }

  stop(): void {
    this.stopped = true;
    this.video.cancelVideoFrameCallback(this.handle);
  }
}
