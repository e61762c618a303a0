// Paces frames at a fixed rate against the wall clock, catching up after a stall instead of drifting.
export class FrameClock {
  private timer?: NodeJS.Timeout;
  private startMs = 0;
  private next = 0;

  /**
   * catchUp: emit every missed frame after a stall (clips, whose timestamps come from the index);
   * otherwise only the latest (live capture, where two frames drawn at once would be identical).
   */
  constructor(
    private readonly fps: number,
    private readonly onFrame: (index: number, dueMs: number) => void,
    private readonly catchUp = true,
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
    if (lateFrames > (this.catchUp ? this.fps : 0)) this.next += lateFrames;
    while (this.timer && this.startMs + (this.next * 1000) / this.fps <= now) {
      this.onFrame(this.next, this.startMs + (this.next * 1000) / this.fps);
      this.next += 1;
    }
    if (this.timer) this.schedule();
  }
}
