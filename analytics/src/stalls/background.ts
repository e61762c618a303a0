// Dual-rate background model on a small RGB frame.
//
// The long-term model (B_L) is learnt from a consensus of the first frames and afterwards updated
// only where the scene looks like background, so a stall is never absorbed while it stands.
// The short-term model (B_S) follows every pixel within seconds: something that differs from
// B_L but matches B_S has stopped moving. A global gain (median luminance ratio over background
// pixels) lets B_L stay valid while the whole scene slowly darkens or brightens, including the
// ground hidden under a stall. Shadows (darker, same chromaticity) are not foreground.

export interface BackgroundOptions {
  /** Frames whose per-pixel consensus colour seeds B_L. */
  warmupFrames: number;
  /** Time constant of B_L on background pixels (seconds). */
  longTauSec: number;
  /** Time constant of B_S (seconds). */
  shortTauSec: number;
  /** Mean absolute RGB difference (0–255) above which a pixel differs from a model. */
  threshold: number;
  /** Luminance ratio range (current / background) treated as a possible shadow. */
  shadowRatio: [number, number];
  /** Largest chromaticity change still accepted as a shadow. */
  shadowChroma: number;
  /** Foreground share of the frame above which the change is global (lights, exposure): relearn. */
  relearnFraction: number;
}

export const DEFAULT_BACKGROUND: BackgroundOptions = {
  warmupFrames: 9,
  longTauSec: 30,
  shortTauSec: 1.5,
  threshold: 22,
  shadowRatio: [0.45, 0.93],
  shadowChroma: 0.035,
  relearnFraction: 0.6,
};

export interface BackgroundResult {
  /** 1 where the pixel differs from the long-term background (not shadow). */
  long: Uint8Array;
  /** 1 where the pixel differs from the short-term background (it changed in the last seconds). */
  short: Uint8Array;
  /** False during warm-up: masks are all zero then. */
  ready: boolean;
  /** True on the frame where a global change forced a relearn. */
  relearned: boolean;
  gain: number;
}

const GAIN_BINS = 512;
const GAIN_MAX = 4;

export class DualBackground {
  private readonly long: Float32Array;
  private readonly short: Float32Array;
  private readonly fgLong: Uint8Array;
  private readonly fgShort: Uint8Array;
  private readonly hist = new Uint32Array(GAIN_BINS);
  private warmup: Uint8Array[] = [];
  private gain = 1;
  private ready = false;
  private shortFromNext = false;

  constructor(
    readonly pixels: number,
    private readonly opt: BackgroundOptions = DEFAULT_BACKGROUND,
  ) {
    this.long = new Float32Array(pixels * 3);
    this.short = new Float32Array(pixels * 3);
    this.fgLong = new Uint8Array(pixels);
    this.fgShort = new Uint8Array(pixels);
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** Long-term background as RGB bytes at the current gain (for the ghost test and debugging). */
  backgroundAt(i: number, c: number): number {
    return this.long[i * 3 + c] * this.gain;
  }

  /**
   * `hold` marks pixels the caller knows belong to a standing object: B_L must not learn them
   * even if they fell below the threshold this frame (noise at the object's edge).
   */
  update(rgb: Uint8Array, dtSec: number, hold?: Uint8Array): BackgroundResult {
    if (!this.ready) return this.warm(rgb);
    const { long, short, fgLong, fgShort, opt } = this;
    if (this.shortFromNext) {
      this.shortFromNext = false;
      short.set(rgb);
    }
    const n = this.pixels;
    const gain = this.estimateGain(rgb);
    this.gain = gain;
    const aL = 1 - Math.exp(-dtSec / opt.longTauSec);
    const aS = 1 - Math.exp(-dtSec / opt.shortTauSec);
    const t3 = opt.threshold * 3;
    const [rLo, rHi] = opt.shadowRatio;
    let count = 0;
    for (let i = 0, k = 0; i < n; i++, k += 3) {
      const r = rgb[k];
      const g = rgb[k + 1];
      const b = rgb[k + 2];
      const br = long[k] * gain;
      const bg = long[k + 1] * gain;
      const bb = long[k + 2] * gain;
      let fg = Math.abs(r - br) + Math.abs(g - bg) + Math.abs(b - bb) > t3 ? 1 : 0;
      if (fg) {
        const sI = r + g + b + 1;
        const sB = br + bg + bb + 1;
        const ratio = sI / sB;
        if (ratio >= rLo && ratio <= rHi) {
          const dc = Math.max(Math.abs(r / sI - br / sB), Math.abs(g / sI - bg / sB), Math.abs(b / sI - bb / sB));
          if (dc <= opt.shadowChroma) fg = 0;
        }
      }
      fgLong[i] = fg;
      count += fg;
      fgShort[i] = Math.abs(r - short[k]) + Math.abs(g - short[k + 1]) + Math.abs(b - short[k + 2]) > t3 ? 1 : 0;
      short[k] += aS * (r - short[k]);
      short[k + 1] += aS * (g - short[k + 1]);
      short[k + 2] += aS * (b - short[k + 2]);
      if (!fg && !(hold && hold[i])) {
        // Learn in gain-normalised units so the model stays valid under the next global change.
        long[k] += aL * (r / gain - long[k]);
        long[k + 1] += aL * (g / gain - long[k + 1]);
        long[k + 2] += aL * (b / gain - long[k + 2]);
      }
    }
    if (count > opt.relearnFraction * n) {
      this.seed(rgb);
      fgLong.fill(0);
      fgShort.fill(0);
      return { long: fgLong, short: fgShort, ready: true, relearned: true, gain: 1 };
    }
    return { long: fgLong, short: fgShort, ready: true, relearned: false, gain };
  }

  /**
   * The long-term model as RGB bytes in gain-normalised units (what `seedFrom` takes back), or
   * undefined during warm-up. Persisted so a restarted pipeline does not learn a standing stall.
   */
  reference(): Uint8Array | undefined {
    if (!this.ready) return undefined;
    return new Uint8Array(Uint8ClampedArray.from(this.long).buffer);
  }

  /**
   * Starts from a persisted long-term model instead of warming up: whatever differs from it —
   * goods laid out while no pipeline watched — is foreground from the first frame. The gain is
   * re-estimated on every frame, so a reference saved at noon still fits at dusk; a reference
   * that no longer fits at all (camera moved) trips the global-change relearn.
   */
  seedFrom(reference: Uint8Array): void {
    if (reference.length !== this.long.length) throw new RangeError(`background reference has ${reference.length} values, expected ${this.long.length}`);
    this.long.set(reference);
    // B_S takes the first frame instead: what stands there now is still, not "just changed".
    this.shortFromNext = true;
    this.warmup = [];
    this.gain = 1;
    this.ready = true;
  }

  /** Makes the long-term model take the current frame's colours at these pixels (ghost removal). */
  absorb(rgb: Uint8Array, pixels: ArrayLike<number>): void {
    for (let j = 0; j < pixels.length; j++) {
      const k = pixels[j] * 3;
      for (let c = 0; c < 3; c++) this.long[k + c] = rgb[k + c] / this.gain;
    }
  }

  private warm(rgb: Uint8Array): BackgroundResult {
    this.warmup.push(Uint8Array.from(rgb));
    if (this.warmup.length >= this.opt.warmupFrames) {
      this.seedFromConsensus(this.warmup);
      this.short.set(this.long);
      this.warmup = [];
      this.gain = 1;
      this.ready = true;
    }
    return { long: this.fgLong, short: this.fgShort, ready: false, relearned: false, gain: 1 };
  }

  /**
   * Per pixel, the colour most warm-up samples agree on (mean of the largest group of samples
   * within the threshold of one another). In a crowd the ground shows in only some samples while
   * each passer-by has a different colour, so the ground still wins; a per-channel median would
   * mix passers-by into a colour that is nowhere in the scene and stays foreground for good.
   */
  private seedFromConsensus(frames: Uint8Array[]): void {
    const t3 = this.opt.threshold * 3;
    const n = frames.length;
    for (let i = 0, k = 0; i < this.pixels; i++, k += 3) {
      let best = 0;
      let bestCount = -1;
      for (let a = 0; a < n; a++) {
        const fa = frames[a];
        let count = 0;
        for (let b = 0; b < n; b++) {
          const fb = frames[b];
          if (Math.abs(fa[k] - fb[k]) + Math.abs(fa[k + 1] - fb[k + 1]) + Math.abs(fa[k + 2] - fb[k + 2]) <= t3) count++;
        }
        if (count > bestCount) {
          bestCount = count;
          best = a;
        }
      }
      const ref = frames[best];
      let r = 0;
      let g = 0;
      let bl = 0;
      let m = 0;
      for (let b = 0; b < n; b++) {
        const fb = frames[b];
        if (Math.abs(ref[k] - fb[k]) + Math.abs(ref[k + 1] - fb[k + 1]) + Math.abs(ref[k + 2] - fb[k + 2]) > t3) continue;
        r += fb[k];
        g += fb[k + 1];
        bl += fb[k + 2];
        m++;
      }
      this.long[k] = r / m;
      this.long[k + 1] = g / m;
      this.long[k + 2] = bl / m;
    }
  }

  private seed(rgb: Uint8Array): void {
    for (let k = 0; k < rgb.length; k++) {
      this.long[k] = rgb[k];
      this.short[k] = rgb[k];
    }
    this.gain = 1;
  }

  /** Median of (current / background) luminance over last frame's background pixels, sampled. */
  private estimateGain(rgb: Uint8Array): number {
    const { hist, long, fgLong } = this;
    hist.fill(0);
    let total = 0;
    for (let i = 0; i < this.pixels; i += 3) {
      if (fgLong[i]) continue;
      const k = i * 3;
      const sB = long[k] + long[k + 1] + long[k + 2];
      if (sB < 30) continue; // dark pixels give noisy ratios
      const ratio = (rgb[k] + rgb[k + 1] + rgb[k + 2]) / sB;
      hist[Math.min(GAIN_BINS - 1, Math.floor((ratio / GAIN_MAX) * GAIN_BINS))]++;
      total++;
    }
    if (total < 50) return this.gain;
    let seen = 0;
    for (let b = 0; b < GAIN_BINS; b++) {
      seen += hist[b];
      if (seen * 2 >= total) return ((b + 0.5) / GAIN_BINS) * GAIN_MAX;
    }
    return this.gain;
  }
}
