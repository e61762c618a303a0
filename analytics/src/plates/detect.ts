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

/** Frames are searched at this width at most; plates narrower than MIN_PLATE_W there are skipped. */
const WORK_WIDTH = 960;
const MIN_PLATE_W = 36;
const MAX_CANDIDATES = 24;

// OpenCV HSV: H 0–180. Ranges for painted plate backgrounds under daylight and IR-cut cameras.
const COLOR_RANGES: { source: Candidate['source']; lo: number[]; hi: number[] }[] = [
  { source: 'blue', lo: [100, 90, 50, 0], hi: [128, 255, 255, 255] },
  { source: 'yellow', lo: [12, 90, 90, 0], hi: [34, 255, 255, 255] },
  { source: 'green', lo: [35, 50, 80, 0], hi: [85, 255, 255, 255] },
];

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

export class PlateDetector {
  private constructor(private readonly cv: CV) {}

  static async create(): Promise<PlateDetector> {
    return new PlateDetector(await loadCv());
  }

  /** Candidate plate regions in the frame, each already warped to the recognizer's input. */
  detect(img: Rgb): Candidate[] {
    const cv = this.cv;
    const full = new cv.Mat(img.height, img.width, cv.CV_8UC3);
    const keep: Mat[] = [full];
    try {
      full.data.set(img.data);
      const scale = Math.min(1, WORK_WIDTH / img.width);
      let small = full;
      if (scale < 1) {
        small = new cv.Mat();
        keep.push(small);
        cv.resize(full, small, new cv.Size(Math.round(img.width * scale), Math.round(img.height * scale)), 0, 0, cv.INTER_AREA);
      }
      const quads: { quad: Quad; source: Candidate['source']; score: number }[] = [];
      for (const m of this.colorMasks(small, keep)) quads.push(...this.shapes(m.mask, m.source, keep));
      quads.push(...this.shapes(this.edgeMask(small, keep), 'edges', keep));
      quads.sort((a, b) => b.score - a.score);
      return quads.slice(0, MAX_CANDIDATES).map(({ quad, source }) => {
        const fullQuad = quad.map((p) => ({ x: p.x / scale, y: p.y / scale })) as Quad;
        const q = source === 'edges' ? grow(fullQuad, 1.12, 1.45) : fullQuad;
        return { quad: q, source, crop: this.warp(full, q) };
      });
    } finally {
      for (const m of keep) m.delete();
    }
  }

  private colorMasks(small: Mat, keep: Mat[]): { source: Candidate['source']; mask: Mat }[] {
    const cv = this.cv;
    const hsv = new cv.Mat();
    keep.push(hsv);
    cv.cvtColor(small, hsv, cv.COLOR_RGB2HSV);
    const kernel = cv.getStructuringElement(cv.MORPH_RECT, new cv.Size(9, 3));
    keep.push(kernel);
    return COLOR_RANGES.map(({ source, lo, hi }) => {
      const low = new cv.Mat(hsv.rows, hsv.cols, hsv.type(), lo);
      const high = new cv.Mat(hsv.rows, hsv.cols, hsv.type(), hi);
      const mask = new cv.Mat();
      keep.push(low, high, mask);
      cv.inRange(hsv, low, high, mask);
      cv.morphologyEx(mask, mask, cv.MORPH_CLOSE, kernel);
      return { source, mask };
    });
  }

  private edgeMask(small: Mat, keep: Mat[]): Mat {
    const cv = this.cv;
    const gray = new cv.Mat();
    const gx = new cv.Mat();
    const mask = new cv.Mat();
    keep.push(gray, gx, mask);
    cv.cvtColor(small, gray, cv.COLOR_RGB2GRAY);
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

  private shapes(mask: Mat, source: Candidate['source'], keep: Mat[]): { quad: Quad; source: Candidate['source']; score: number }[] {
    const cv = this.cv;
    const contours = new cv.MatVector();
    const hierarchy = new cv.Mat();
    keep.push(hierarchy);
    const out: { quad: Quad; source: Candidate['source']; score: number }[] = [];
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
          out.push({ quad, source, score: fill * Math.min(long, 300) });
        } finally {
          c.delete();
        }
      }
    } finally {
      contours.delete();
    }
    return out;
  }

  /** Perspective-warps a quad (full-resolution pixels) to a loosely framed recognizer crop. */
  warp(full: Mat, quad: Quad): Uint8Array {
    const cv = this.cv;
    // Render at up to 3× the input size, then area-downsample: a direct warp would alias.
    const w = Math.max(INPUT_W, Math.min(INPUT_W * 3, Math.round(Math.hypot(quad[1].x - quad[0].x, quad[1].y - quad[0].y))));
    const h = Math.round((w * INPUT_H) / INPUT_W);
    const mx = w * 0.035;
    const my = h * 0.06;
    const src = cv.matFromArray(4, 1, cv.CV_32FC2, quad.flatMap((p) => [p.x, p.y]));
    const dst = cv.matFromArray(4, 1, cv.CV_32FC2, [mx, my, w - mx, my, w - mx, h - my, mx, h - my]);
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
