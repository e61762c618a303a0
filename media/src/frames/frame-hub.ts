// Frame decoders of one stream, shared by subscribers asking for the same rate and size;
// a decoder runs only while it has subscribers.
import type { Fragment, InitSegment } from '../ingest/ingest';
import { FrameDecoder, type PixelFormat } from './frame-decoder';
import { FrameSubscription } from './frame-subscription';

export interface FrameOptions {
  /** 0.2–5 frames per second; default 2. */
  fps?: number;
  /** ≤ 640; the height follows the aspect ratio and stays ≤ 360. */
  width?: number;
  format?: PixelFormat;
}

const RESTART_DELAY_MS = 1000;

interface Entry {
  decoder: FrameDecoder;
  subs: Set<FrameSubscription>;
}

export function normaliseFrameOptions(o: FrameOptions): Required<FrameOptions> {
  const fps = o.fps ?? 2;
  const width = o.width ?? 640;
  if (!(fps >= 0.2 && fps <= 5)) throw new RangeError(`fps must be 0.2–5, got ${fps}`);
  if (!(Number.isInteger(width) && width >= 16 && width <= 640)) throw new RangeError(`width must be an integer 16–640, got ${width}`);
  const format = o.format ?? 'rgb24';
  if (format !== 'rgb24' && format !== 'rgba') throw new RangeError(`format must be rgb24 or rgba`);
  return { fps, width, format };
}

export class FrameHub {
  private entries = new Map<string, Entry>();
  private init: InitSegment | null = null;
  private closing = false;

  /** Last decoder failure, for the stream's status. */
  lastError: string | null = null;

  get decoderCount(): number {
    return this.entries.size;
  }

  get subscriberCount(): number {
    let n = 0;
    for (const e of this.entries.values()) n += e.subs.size;
    return n;
  }

  subscribe(options: FrameOptions): FrameSubscription {
    const opts = normaliseFrameOptions(options);
    const key = `${opts.fps}:${opts.width}:${opts.format}`;
    let entry = this.entries.get(key);
    if (!entry) {
      const decoder = new FrameDecoder(opts);
      const subs = new Set<FrameSubscription>();
      decoder.on('frame', (f) => subs.forEach((s) => s.deliver(f)));
      decoder.on('error', (err) => {
        this.lastError = err.message;
        // Restart from the next keyframe, at most once a second.
        setTimeout(() => {
          if (this.init && this.entries.get(key)?.decoder === decoder) decoder.setInit(this.init);
        }, RESTART_DELAY_MS).unref();
      });
      entry = { decoder, subs };
      this.entries.set(key, entry);
      if (this.init) decoder.setInit(this.init);
    }
    const owner = entry;
    const sub = new FrameSubscription((s) => {
      owner.subs.delete(s);
      if (owner.subs.size > 0 || this.closing) return;
      this.entries.delete(key);
      void owner.decoder.close();
    });
    entry.subs.add(sub);
    return sub;
  }

  setInit(init: InitSegment): void {
    this.init = init;
    for (const e of this.entries.values()) e.decoder.setInit(init);
  }

  push(fragment: Fragment): void {
    for (const e of this.entries.values()) e.decoder.push(fragment);
  }

  async close(): Promise<void> {
    this.closing = true;
    const entries = [...this.entries.values()];
    this.entries.clear();
    for (const e of entries) for (const s of [...e.subs]) s.close();
    await Promise.all(entries.map((e) => e.decoder.close()));
  }
}
