// A consumer's view of a frame decoder: an async iterator that keeps only the newest frames,
// so a slow analytics job sees current pictures rather than a growing backlog.
import type { Frame } from './frame-decoder';

export class FrameSubscription implements AsyncIterable<Frame> {
  private queue: Frame[] = [];
  private waiting: ((r: IteratorResult<Frame>) => void) | null = null;
  private closed = false;
  /** Frames dropped because the consumer was slower than the decoder. */
  dropped = 0;

  constructor(
    private readonly onClose: (sub: FrameSubscription) => void,
    private readonly maxQueued = 2,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /** Called by the hub. */
  deliver(frame: Frame): void {
    if (this.closed) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: frame, done: false });
      return;
    }
    this.queue.push(frame);
    if (this.queue.length > this.maxQueued) {
      this.queue.shift();
      this.dropped += 1;
    }
  }

  next(): Promise<IteratorResult<Frame>> {
    const frame = this.queue.shift();
    if (frame) return Promise.resolve({ value: frame, done: false });
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.waiting?.({ value: undefined, done: true });
    this.waiting = null;
    this.onClose(this);
  }

  [Symbol.asyncIterator](): AsyncIterator<Frame> {
    return {
      next: () => this.next(),
      return: () => {
        this.close();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
