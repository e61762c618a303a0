// Small synthetic street scenes with exact ground truth, for unit tests, the benchmark and the
// evaluation before (and besides) the camera simulator's rendered clips. Deterministic per seed.
import type { Box, Frame } from './types';

export interface Walker {
  /** Time it enters (s), speed in frame widths per second (negative: right to left). */
  enter: number;
  speed: number;
  /** Normalised y of the feet and body size. */
  y: number;
  w: number;
  h: number;
  color: [number, number, number];
  /** Stands still at this x for `pauseSec` (people who stop briefly). */
  pauseAt?: number;
  pauseSec?: number;
}

export interface SyntheticStall {
  id: string;
  /** Goods on the ground from `start` to `end` (seconds), normalised box. */
  start: number;
  end: number;
  box: Box;
  color: [number, number, number];
  /** A vendor stands beside the goods until this time (then walks away). */
  vendorUntil?: number;
}

export interface SyntheticScene {
  width: number;
  height: number;
  fps: number;
  durationSec: number;
  walkers: Walker[];
  stalls: SyntheticStall[];
  /** Global brightness at time t (1 = nominal). */
  light?: (t: number) => number;
  /** Standard deviation of per-pixel noise (0–255). */
  noise?: number;
  /** Draw a darker shadow beside each walker. */
  shadows?: boolean;
  /** Objects present from the first frame (they leave at `leaveAt`): the ghost case. */
  initialObjects?: { box: Box; color: [number, number, number]; leaveAt: number }[];
  seed?: number;
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

export class SyntheticRenderer {
  private readonly base: Uint8Array;
  private readonly rand: () => number;

  constructor(readonly scene: SyntheticScene) {
    const { width, height } = scene;
    this.rand = rng(scene.seed ?? 7);
    this.base = new Uint8Array(width * height * 3);
    // Pavement: grey tiles with mortar lines and mild texture; a kerb band at the top.
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const tile = (Math.floor(x / (width / 16)) + Math.floor(y / (height / 9))) % 2;
        const mortar = x % Math.round(width / 16) === 0 || y % Math.round(height / 9) === 0;
        let v = 120 + tile * 12 + (this.rand() - 0.5) * 10 - (mortar ? 25 : 0);
        if (y < height * 0.12) v = 80 + (this.rand() - 0.5) * 8;
        const k = (y * width + x) * 3;
        this.base[k] = v;
        this.base[k + 1] = v + 2;
        this.base[k + 2] = v + 6;
      }
    }
  }

  get frameCount(): number {
    return Math.floor(this.scene.durationSec * this.scene.fps);
  }

  render(t: number): Frame {
    const { width, height } = this.scene;
    const img = Uint8Array.from(this.base);
    const rect = (box: Box, color: [number, number, number], factor?: number) => {
      const x0 = Math.max(0, Math.round(box[0] * width));
      const y0 = Math.max(0, Math.round(box[1] * height));
      const x1 = Math.min(width, Math.round((box[0] + box[2]) * width));
      const y1 = Math.min(height, Math.round((box[1] + box[3]) * height));
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const k = (y * width + x) * 3;
          for (let c = 0; c < 3; c++) img[k + c] = factor === undefined ? color[c] : img[k + c] * factor;
        }
      }
    };
    for (const o of this.scene.initialObjects ?? []) if (t < o.leaveAt) rect(o.box, o.color);
    for (const s of this.scene.stalls) {
      if (t >= s.start && t < s.end) {
        rect(s.box, s.color);
        // Texture on the goods so they have inner edges, like real merchandise.
        rect([s.box[0] + s.box[2] * 0.2, s.box[1] + s.box[3] * 0.3, s.box[2] * 0.25, s.box[3] * 0.3], [240, 220, 40]);
      }
      if (s.vendorUntil !== undefined && t >= s.start && t < s.vendorUntil) {
        rect([s.box[0] + s.box[2] + 0.01, s.box[1] + s.box[3] - 0.2, 0.03, 0.2], [60, 40, 90]);
      }
    }
    for (const w of this.scene.walkers) {
      const pos = walkerX(w, t);
      if (pos === undefined) continue;
      if (this.scene.shadows) rect([pos + w.w * 0.6, w.y - w.h * 0.15, w.w * 2.2, w.h * 0.15], [0, 0, 0], 0.6);
      rect([pos, w.y - w.h, w.w, w.h], w.color);
    }
    const light = this.scene.light?.(t) ?? 1;
    const noise = this.scene.noise ?? 0;
    for (let k = 0; k < img.length; k++) {
      const n = noise ? (this.rand() + this.rand() + this.rand() - 1.5) * 2 * noise : 0;
      img[k] = Math.max(0, Math.min(255, img[k] * light + n));
    }
    return { data: img, width, height, format: 'rgb' };
  }
}

function walkerX(w: Walker, t: number): number | undefined {
  const dt = t - w.enter;
  if (dt < 0) return undefined;
  const startX = w.speed > 0 ? -w.w : 1;
  const pauseSec = w.pauseSec ?? 0;
  let moving = dt;
  if (w.pauseAt !== undefined) {
    const reach = (w.pauseAt - startX) / w.speed;
    if (dt > reach) moving = dt < reach + pauseSec ? reach : dt - pauseSec;
  }
  const x = startX + w.speed * moving;
  return x < -w.w || x > 1 ? undefined : x;
}

/** A stream of walkers crossing at random heights and speeds (a crowd when `perSec` is high). */
export function randomWalkers(seed: number, durationSec: number, perSec: number, opts: { yRange?: [number, number] } = {}): Walker[] {
  const r = rng(seed);
  const [y0, y1] = opts.yRange ?? [0.3, 0.98];
  const out: Walker[] = [];
  for (let t = 0; t < durationSec; t += -Math.log(1 - r()) / perSec) {
    const dir = r() < 0.5 ? -1 : 1;
    out.push({
      enter: t,
      speed: dir * (0.06 + r() * 0.08),
      y: y0 + r() * (y1 - y0),
      w: 0.025 + r() * 0.015,
      h: 0.18 + r() * 0.08,
      color: [Math.floor(r() * 200), Math.floor(r() * 200), Math.floor(r() * 200)],
    });
  }
  return out;
}
