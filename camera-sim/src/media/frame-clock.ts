// Paces frames at a fixed rate against the wall clock, catching up after a stall instead of drifting.
export class FrameClock {
  private timer?: NodeJS.Timeout;
  private startMs = 0;
  private next = 0;

  constructor(
    private readonly fps: number,
    private readonly onFrame: (index: number, dueMs: number) => void,
  ) {}

  get running(): boolean {
    return this.timer !== undefined;
  }

  /** ms since start(), used to find where in a loop the picture is */
  elapsedMs(): number {
    return this.running ? Date.now() - this.startMs : 0;
  }

  start(): void {
    if (this.timer) return;
    this.startMs = Date.now();
    this.next = 0;
    this.schedule();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    const due = this.startMs + (this.next * 1000) / this.fps;
    this.timer = setTimeout(() => this.tick(), Math.max(0, due - Date.now()));
  }

  private tick(): void {
    const now = Date.now();
    // After a long event-loop stall, skip frames that are more than a second late rather than bursting them.
    const lateFrames = Math.floor(((now - this.startMs) * this.fps) / 1000) - this.next;
    if (lateFrames > this.fps) this.next += lateFrames;
    while (this.timer && this.startMs + (this.next * 1000) / this.fps <= now) {
      this.onFrame(this.next, this.startMs + (this.next * 1000) / this.fps);
      this.next += 1;
    }
    if (this.timer) this.schedule();
  }
}
