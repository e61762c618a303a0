// Mask clean-up and connected components (OpenCV), then per-blob statistics (plain loops).
import type { CV } from './cv';

type Mat = InstanceType<CV['Mat']>;

export interface Blob {
  /** Work-image pixel box. */
  x: number;
  y: number;
  w: number;
  h: number;
  area: number;
  /** Median seconds its pixels have been foreground: how long the thing has been there. */
  dwell: number;
  /** Share of its foreground pixels that did not change in the last seconds. */
  still: number;
  /** Work-image pixel indices (for zone overlap, ghost test, absorption). */
  pixels: Int32Array;
}

export class MaskOps {
  private readonly mask: Mat;
  private readonly labels: Mat;
  private readonly stats: Mat;
  private readonly centroids: Mat;
  private readonly open: Mat;
  private readonly close: Mat;
  private readonly join: Mat;
  private readonly anchor: InstanceType<CV['Point']>;

  constructor(
    private readonly cv: CV,
    readonly width: number,
    readonly height: number,
  ) {
    this.mask = new cv.Mat(height, width, cv.CV_8UC1);
    this.labels = new cv.Mat();
    this.stats = new cv.Mat();
    this.centroids = new cv.Mat();
    // Kernel sizes scale with the work image so behaviour does not depend on the input size.
    const k = Math.max(3, Math.round(width / 160) * 2 + 1);
    this.open = cv.getStructuringElement(cv.MORPH_ELLIPSE, new cv.Size(3, 3));
    this.close = cv.getStructuringElement(cv.MORPH_ELLIPSE, new cv.Size(k, k));
    this.join = cv.getStructuringElement(cv.MORPH_RECT, new cv.Size(k + 2, k + 2));
    this.anchor = new cv.Point(-1, -1);
  }

  /** Removes speckle and fills small holes, in place. */
  clean(mask: Uint8Array): void {
    const { cv } = this;
    this.mask.data.set(mask);
    cv.morphologyEx(this.mask, this.mask, cv.MORPH_OPEN, this.open, this.anchor, 1, cv.BORDER_CONSTANT, new cv.Scalar(0));
    cv.morphologyEx(this.mask, this.mask, cv.MORPH_CLOSE, this.close, this.anchor, 1, cv.BORDER_CONSTANT, new cv.Scalar(0));
    mask.set(this.mask.data);
  }

  /**
   * Blobs of `persistent` (pieces of one stall are joined by a closing first). `fg` and `moving`
   * are the cleaned long-term foreground and the short-term change masks.
   */
  blobs(persistent: Uint8Array, acc: Float32Array, fg: Uint8Array, moving: Uint8Array, minArea: number): Blob[] {
    const { cv } = this;
    this.mask.data.set(persistent);
    cv.morphologyEx(this.mask, this.mask, cv.MORPH_CLOSE, this.join, this.anchor, 1, cv.BORDER_CONSTANT, new cv.Scalar(0));
    const n = cv.connectedComponentsWithStats(this.mask, this.labels, this.stats, this.centroids, 8, cv.CV_32S);
    if (n <= 1) return [];
    const st = this.stats.data32S;
    const keep: number[] = [];
    const index = new Int32Array(n).fill(-1);
    for (let l = 1; l < n; l++) {
      if (st[l * 5 + 4] >= minArea) {
        index[l] = keep.length;
        keep.push(l);
      }
    }
    if (keep.length === 0) return [];
    const pixels = keep.map((l) => new Int32Array(st[l * 5 + 4]));
    const fill = new Int32Array(keep.length);
    const lab = this.labels.data32S;
    for (let i = 0; i < lab.length; i++) {
      const b = index[lab[i]];
      if (b >= 0) pixels[b][fill[b]++] = i;
    }
    return keep.map((l, b) => {
      const px = pixels[b];
      const dwells: number[] = [];
      let fgCount = 0;
      let stillCount = 0;
      for (let j = 0; j < px.length; j++) {
        const i = px[j];
        if (!fg[i]) continue;
        fgCount++;
        if (!moving[i]) stillCount++;
        dwells.push(acc[i]);
      }
      dwells.sort((a, c) => a - c);
      return {
        x: st[l * 5],
        y: st[l * 5 + 1],
        w: st[l * 5 + 2],
        h: st[l * 5 + 3],
        area: st[l * 5 + 4],
        dwell: dwells.length ? dwells[dwells.length >> 1] : 0,
        still: fgCount ? stillCount / fgCount : 0,
        pixels: px,
      };
    });
  }

  dispose(): void {
    for (const m of [this.mask, this.labels, this.stats, this.centroids, this.open, this.close, this.join]) m.delete();
  }
}
