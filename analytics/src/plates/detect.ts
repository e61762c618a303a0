// Classical plate detection with OpenCV: plate-coloured regions (blue, yellow, green) and
// dense vertical-edge regions (characters; also catches white and black plates) become
// candidates when their rotated bounding box has a plate's aspect ratio. Each candidate is
// rectified by a perspective warp into the recognizer's input size; the recognizer decides
// which candidates are plates.
import type { Rgb } from './image';
import type { Point } from './scene';
import { INPUT_H, INPUT_W } from './synth';
import { loadCv, type CV } from '../stalls/cv';

type Mat = InstanceType<CV['Mat']>;

export type Quad = [Point, Point, Point, Point];

export interface Candidate {
  quad: Quad;
  /** INPUT_H × INPUT_W × 3 RGB, ready for the recognizer. */
  crop: Uint8Array;
  source: 'blue' | 'yellow' | 'green' | 'edges';
}

/**
 * Frames are searched at this width at most (a 1080p frame at a third: plates of a gate camera are
 * 150–400 px wide there, the smallest we look for 72 px); plates narrower than MIN_PLATE_W at this
 * width are skipped. The morphology kernels below bridge the gap around a plate's separator dot
 * (smaller ones missed a faded real plate, hyperlpr-ds_1) and still keep the synthetic scenes'
 * plates apart from the car around them.
 */
export const WORK_WIDTH = 640;
const MIN_PLATE_W = 24;
const MAX_CANDIDATES = 24;

export interface Found {
  /** Corners in the pixels of the image searched. */
  quad: Quad;
  source: Candidate['source'];
  score: number;
}

type Paint = 'blue' | 'yellow' | 'green';
/**
 * Plate paint in OpenCV's 8-bit HSV (H 0–180, S and V 0–255), ranges for painted plate
 * backgrounds under daylight and IR-cut cameras: [hLo, hHi, sMin, vMin].
 */
const PAINT: [Paint, number, number, number, number][] = [
  ['blue', 100, 128, 90, 50],
  ['yellow', 12, 34, 90, 90],
  ['green', 35, 85, 50, 80],
];

/**
 * One pass over the pixels: a mask per plate paint and the grey image. Cheaper than OpenCV's
 * cvtColor + an inRange per colour (each needing two full-size bound images in opencv.js).
 */
export function paintMasks(img: Rgb): { masks: Record<Paint, Uint8Array>; gray: Uint8Array } {
  const n = img.width * img.height;
  const d = img.data;
  const gray = new Uint8Array(n);
  const masks = { blue: new Uint8Array(n), yellow: new Uint8Array(n), green: new Uint8Array(n) };
  const planes = PAINT.map(([paint]) => masks[paint]);
  const limits = Float64Array.from(PAINT.flatMap(([, ...l]) => l));
  const minV = Math.min(...PAINT.map((p) => p[4]));
  const minS = Math.min(...PAINT.map((p) => p[3]));
  for (let p = 0, i = 0; p < n; p++, i += 3) {
    const r = d[i];
    const g = d[i + 1];
    const b = d[i + 2];
    gray[p] = (r * 4899 + g * 9617 + b * 1868 + 8192) >> 14; // BT.601 luma, as COLOR_RGB2GRAY
    const v = r > g ? (r > b ? r : b) : g > b ? g : b;
    const c = v - (r < g ? (r < b ? r : b) : g < b ? g : b);
    if (v < minV || c * 255 < minS * v) continue; // dark or grey: no paint (also skips c = 0)
    const sat = (c * 255) / v;
    let h = v === r ? (30 * (g - b)) / c : v === g ? 60 + (30 * (b - r)) / c : 120 + (30 * (r - g)) / c;
    if (h < 0) h += 180;
    for (let k = 0, o = 0; k < planes.length; k++, o += 4) {
      if (h >= limits[o] && h <= limits[o + 1] && sat >= limits[o + 2] && v >= limits[o + 3]) planes[k][p] = 255;
    }
  }
  return { masks, gray };
}

function orderQuad(pts: Point[]): Quad {
  // Top-left has the smallest x+y, bottom-right the largest; top-right the smallest y−x.
  const bySum = [...pts].sort((a, b) => a.x + a.y - (b.x + b.y));
  const byDiff = [...pts].sort((a, b) => a.y - a.x - (b.y - b.x));
  return [bySum[0], byDiff[0], bySum[3], byDiff[3]];
}

function rotatedCorners(r: { center: Point; size: { width: number; height: number }; angle: number }): Point[] {
  const a = (r.angle * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const hw = r.size.width / 2;
  const hh = r.size.height / 2;
  return [
    [-hw, -hh],
    [hw, -hh],
    [hw, hh],
    [-hw, hh],
  ].map(([x, y]) => ({ x: r.center.x + x * cos - y * sin, y: r.center.y + x * sin + y * cos }));
}

/** Grows a quad about its centre (edge candidates cover the characters, not the plate rim). */
function grow(q: Quad, sx: number, sy: number): Quad {
  const cx = (q[0].x + q[1].x + q[2].x + q[3].x) / 4;
  const cy = (q[0].y + q[1].y + q[2].y + q[3].y) / 4;
  // Scale along the plate's own axes: the top edge gives its direction.
  const ux = (q[1].x - q[0].x) / Math.hypot(q[1].x - q[0].x, q[1].y - q[0].y);
  const uy = (q[1].y - q[0].y) / Math.hypot(q[1].x - q[0].x, q[1].y - q[0].y);
  return q.map((p) => {
    const dx = p.x - cx;
    const dy = p.y - cy;
    const along = dx * ux + dy * uy;
    const across = -dx * uy + dy * ux;
    return { x: cx + along * sx * ux - across * sy * uy, y: cy + along * sx * uy + across * sy * ux };
  }) as Quad;
}

/** Where a plate's edges sit in a recognizer crop: each side's margin, as a share of the crop's width or height. */
export interface Framing {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** The framing synthetic training crops have (synth.ts), and so what detection warps to. */
export const LOOSE: Framing = { left: 0.035, right: 0.035, top: 0.06, bottom: 0.06 };

export class PlateDetector {
  private constructor(private readonly cv: CV) {}

  static async create(): Promise<PlateDetector> {
    return new PlateDetector(await loadCv());
  }

  /** Candidate plate regions in the frame, each already warped from full resolution. */
  detect(img: Rgb): Candidate[] {
    const scale = Math.min(1, WORK_WIDTH / img.width);
    const work = scale < 1 ? this.resize(img, scale) : img;
    const found = this.find(work).map(({ quad, source }) => ({ quad: quad.map((p) => ({ x: p.x / scale, y: p.y / scale })) as Quad, source }));
    const crops = this.warp(img, found.map((f) => f.quad));
    return found.map((f, i) => ({ ...f, crop: crops[i] }));
  }

  /** Candidate quads in `img` (search it at ≤ WORK_WIDTH), best first. */
  find(img: Rgb): Found[] {
    const { masks, gray } = paintMasks(img);
    const keep: Mat[] = [];
    try {
      const found: Found[] = [];
      for (const m of this.colorMasks(masks, img, keep)) found.push(...this.shapes(m.mask, m.source, keep));
      // Edge candidates cover the characters, not the plate rim.
      for (const f of this.shapes(this.edgeMask(gray, img, keep), 'edges', keep)) found.push({ ...f, quad: grow(f.quad, 1.12, 1.45) });
      found.sort((a, b) => b.score - a.score);
      return found.slice(0, MAX_CANDIDATES);
    } finally {
      for (const m of keep) m.delete();
    }
  }

  private toMat(img: Rgb): Mat {
    const m = new this.cv.Mat(img.height, img.width, this.cv.CV_8UC3);
    m.data.set(img.data);
    return m;
  }

  private resize(img: Rgb, scale: number): Rgb {
    const cv = this.cv;
    const full = this.toMat(img);
    const small = new cv.Mat();
    try {
      cv.resize(full, small, new cv.Size(Math.round(img.width * scale), Math.round(img.height * scale)), 0, 0, cv.INTER_AREA);
      return { data: new Uint8Array(small.data), width: small.cols, height: small.rows };
    } finally {
      full.delete();
      small.delete();
    }
  }

  private colorMasks(masks: Record<Paint, Uint8Array>, img: Rgb, keep: Mat[]): { source: Candidate['source']; mask: Mat }[] {
    const cv = this.cv;
    const kernel = cv.getStructuringElement(cv.MORPH_RECT, new cv.Size(9, 3));
    keep.push(kernel);
    return PAINT.map(([source]) => {
      const mask = this.plane(masks[source], img, keep);
      cv.morphologyEx(mask, mask, cv.MORPH_CLOSE, kernel);
      return { source, mask };
    });
  }

  private edgeMask(grayPlane: Uint8Array, img: Rgb, keep: Mat[]): Mat {
    const cv = this.cv;
    const gray = this.plane(grayPlane, img, keep);
    const gx = new cv.Mat();
    const mask = new cv.Mat();
    keep.push(gx, mask);
    cv.Sobel(gray, gx, cv.CV_16S, 1, 0, 3);
    cv.convertScaleAbs(gx, gx);
    cv.threshold(gx, mask, 0, 255, cv.THRESH_BINARY + cv.THRESH_OTSU);
    const close = cv.getStructuringElement(cv.MORPH_RECT, new cv.Size(17, 3));
    const open = cv.getStructuringElement(cv.MORPH_RECT, new cv.Size(5, 5));
    keep.push(close, open);
    cv.morphologyEx(mask, mask, cv.MORPH_CLOSE, close);
    cv.morphologyEx(mask, mask, cv.MORPH_OPEN, open);
    return mask;
  }

  private plane(data: Uint8Array, img: Rgb, keep: Mat[]): Mat {
    const m = new this.cv.Mat(img.height, img.width, this.cv.CV_8UC1);
    keep.push(m);
    m.data.set(data);
    return m;
  }

  private shapes(mask: Mat, source: Candidate['source'], keep: Mat[]): Found[] {
    const cv = this.cv;
    const contours = new cv.MatVector();
    const hierarchy = new cv.Mat();
    keep.push(hierarchy);
    const out: Found[] = [];
    try {
      cv.findContours(mask, contours, hierarchy, cv.RETR_EXTERNAL, cv.CHAIN_APPROX_SIMPLE);
      const count = contours.size() as unknown as number;
      for (let i = 0; i < count; i++) {
        const c = contours.get(i);
        try {
          const r = cv.minAreaRect(c) as unknown as { center: Point; size: { width: number; height: number }; angle: number };
          const long = Math.max(r.size.width, r.size.height);
          const short = Math.min(r.size.width, r.size.height);
          if (long < MIN_PLATE_W || short < 8) continue;
          const aspect = long / short;
          const [lo, hi] = source === 'edges' ? [2.2, 7.5] : [1.8, 5.5];
          if (aspect < lo || aspect > hi) continue;
          const fill = cv.contourArea(c) / (long * short);
          if (fill < 0.45) continue;
          const quad = orderQuad(rotatedCorners(r));
          const tilt = Math.abs(Math.atan2(quad[1].y - quad[0].y, quad[1].x - quad[0].x));
          if (tilt > 0.45) continue;
          out.push({ quad, source, score: fill * Math.min(long, 200) });
        } finally {
          c.delete();
        }
      }
    } finally {
      contours.delete();
    }
    return out;
  }

  /**
   * Perspective-warps quads (pixels of `img`) to recognizer crops, one per framing each (quad by
   * quad: `quads.length × framings.length` crops); by default loosely framed, as in training.
   */
  warp(img: Rgb, quads: readonly Quad[], framings: readonly Framing[] = [LOOSE]): Uint8Array[] {
    if (quads.length === 0) return [];
    const full = this.toMat(img);
    try {
      return quads.flatMap((q) => framings.map((f) => this.warpOne(full, q, f)));
    } finally {
      full.delete();
    }
  }

  private warpOne(full: Mat, quad: Quad, f: Framing): Uint8Array {
    const cv = this.cv;
    // Render at up to 3× the input size, then area-downsample: a direct warp would alias.
    const w = Math.max(INPUT_W, Math.min(INPUT_W * 3, Math.round(Math.hypot(quad[1].x - quad[0].x, quad[1].y - quad[0].y))));
    const h = Math.round((w * INPUT_H) / INPUT_W);
    const [l, r, t, b] = [f.left * w, w - f.right * w, f.top * h, h - f.bottom * h];
    const src = cv.matFromArray(4, 1, cv.CV_32FC2, quad.flatMap((p) => [p.x, p.y]));
    const dst = cv.matFromArray(4, 1, cv.CV_32FC2, [l, t, r, t, r, b, l, b]);
    const m = cv.getPerspectiveTransform(src, dst);
    const warped = new cv.Mat();
    const small = new cv.Mat();
    try {
      cv.warpPerspective(full, warped, m, new cv.Size(w, h), cv.INTER_LINEAR, cv.BORDER_REPLICATE, new cv.Scalar());
      cv.resize(warped, small, new cv.Size(INPUT_W, INPUT_H), 0, 0, cv.INTER_AREA);
      return new Uint8Array(small.data);
    } finally {
      for (const x of [src, dst, m, warped, small]) x.delete();
    }
  }
}
