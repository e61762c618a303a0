// PlateReader: detection + recognition behind one object with a clear lifecycle
// (create → readFrame/readCrop … → dispose). One model instance per process is plenty: a
// batch of candidates runs in one predict call.
import type * as tfType from '@tensorflow/tfjs';
import path from 'node:path';
import { decodePlate, type Decoded, type DecodeOptions } from './decode';
import { LOOSE, PlateDetector, WORK_WIDTH, type Framing, type Quad } from './detect';
import { ASSETS_DIR } from './fonts';
import { PLATE_COLORS, VOCAB, type PlateColor, type PlateKind } from './grammar';
import { openFrame, toRgb, type Frame, type ImageInput, type Rgb } from './image';
import { cropsToTensor, SLOTS } from './model';
import { fileModelHandler } from './model-io';
import { INPUT_H, INPUT_W } from './synth';
import { initTf } from './tf-backend';
import { agreementOfViews, meanOfViews, VIEW_COUNT, viewsAround } from './views';

/** A crop that is the plate edge to edge (readCrop's input). */
const TIGHT: Framing = { left: 0, right: 0, top: 0, bottom: 0 };

/** Model outputs of a batch: per crop, SLOTS × VOCAB character and PLATE_COLORS colour probabilities. */
interface Outputs {
  chars: Float32Array;
  colors: Float32Array;
}

/**
 * Rows (`width` numbers per crop) of each plate's views, plate by plate: its row in `first` (one per
 * candidate, indexed by `plates`), then its rows in `more` (the other views, plate by plate).
 */
function withFirstView(first: Float32Array, more: Float32Array, width: number, plates: readonly number[]): Float32Array {
  const others = more.length / width / plates.length;
  const out = new Float32Array(plates.length * (others + 1) * width);
  plates.forEach((i, k) => {
    out.set(first.subarray(i * width, (i + 1) * width), k * (others + 1) * width);
    out.set(more.subarray(k * others * width, (k + 1) * others * width), (k * (others + 1) + 1) * width);
  });
  return out;
}

/** An image crops are warped from, and the candidates' quads in its pixels (by candidate index). */
interface CropSource {
  img: Rgb;
  quads: Map<number, Quad>;
}

export interface PlateReading {
  text: string;
  kind: PlateKind;
  /** Plate colour: blue, yellow, green, white, black. */
  type: PlateColor;
  /** Probability of the whole reading; below `confidentAt` a caller should ask a person. */
  confidence: number;
  confident: boolean;
  charConfidences: number[];
  /** Corners clockwise from top-left, in image pixels. */
  box: Quad;
}

export interface PlateReaderOptions {
  modelDir?: string;
  /**
   * Frame candidates whose characters' geometric-mean confidence is below this are dropped as
   * non-plates (default 0.5). Per character, so a plate is not dropped for being long.
   */
  minCharConfidence?: number;
  /** Readings at or above this are flagged confident (default 0.85). */
  confidentAt?: number;
}

/** Per call: one reader serves every camera, and each camera's site has its own local province. */
export type ReadOptions = Pick<DecodeOptions, 'localProvince'>;

export const DEFAULT_MODEL_DIR = path.join(ASSETS_DIR, 'plates-model');

interface ModelMeta {
  vocab?: string[];
  colors?: string[];
  inputW?: number;
  inputH?: number;
}

export class PlateReader {
  private constructor(
    private readonly tf: typeof tfType,
    private readonly model: tfType.LayersModel,
    private readonly detector: PlateDetector,
    private readonly minCharConfidence: number,
    private readonly confidentAt: number,
  ) {}

  static async create(opts: PlateReaderOptions = {}): Promise<PlateReader> {
    const tf = await initTf();
    const model = await tf.loadLayersModel(fileModelHandler(opts.modelDir ?? DEFAULT_MODEL_DIR));
    const meta = (model.getUserDefinedMetadata() ?? {}) as ModelMeta;
    // A model trained for another alphabet or input size would read garbage with confidence.
    if (
      JSON.stringify(meta.vocab) !== JSON.stringify(VOCAB) ||
      JSON.stringify(meta.colors) !== JSON.stringify(PLATE_COLORS) ||
      meta.inputW !== INPUT_W ||
      meta.inputH !== INPUT_H
    ) {
      model.dispose();
      throw new Error('plate model does not match this code (vocabulary, colours or input size differ)');
    }
    return new PlateReader(tf, model, await PlateDetector.create(), opts.minCharConfidence ?? 0.5, opts.confidentAt ?? 0.85);
  }

  /** Recognizes ready-made crops (INPUT_H×INPUT_W×3 RGB each) in one batch, one reading per crop. */
  recognize(crops: readonly Uint8Array[], opts: ReadOptions = {}): Decoded[] {
    return crops.length === 0 ? [] : this.decodeViews(this.predict(crops), 1, opts);
  }

  /** The model's probabilities for a batch of crops (at least one). */
  private predict(crops: readonly Uint8Array[]): Outputs {
    const tf = this.tf;
    const outputs = tf.tidy(() => this.model.predict(cropsToTensor(tf, crops)) as tfType.Tensor[]);
    const out = { chars: outputs[0].dataSync() as Float32Array, colors: outputs[1].dataSync() as Float32Array };
    tf.dispose(outputs);
    return out;
  }

  /**
   * Outputs of crops in groups of `views` (plate by plate): one reading per plate. The mean of its
   * views picks the text (one dissenting view does not veto a character); when what the views agree
   * on names the same plate, its confidence is that agreement's (views.ts).
   */
  private decodeViews({ chars, colors }: Outputs, views: number, opts: ReadOptions): Decoded[] {
    const step = SLOTS * VOCAB.length;
    const nColors = PLATE_COLORS.length;
    const mean = views > 1 ? meanOfViews(chars, step, views) : chars;
    const agreed = views > 1 ? agreementOfViews(chars, step, views, VOCAB.length) : null;
    const k = views > 1 ? meanOfViews(colors, nColors, views) : colors;
    return Array.from({ length: chars.length / step / views }, (_, i) => {
      const color = k.subarray(i * nColors, (i + 1) * nColors);
      const read = decodePlate(mean.subarray(i * step, (i + 1) * step), color, opts);
      if (!agreed) return read;
      const sure = decodePlate(agreed.subarray(i * step, (i + 1) * step), color, opts);
      return sure.text === read.text ? { ...read, confidence: sure.confidence, charConfidences: sure.charConfidences } : read;
    });
  }

  private toReading(d: Decoded, box: Quad): PlateReading {
    return { text: d.text, kind: d.kind, type: d.color, confidence: d.confidence, confident: d.confidence >= this.confidentAt, charConfidences: d.charConfidences, box };
  }

  /** Every plate found in a camera frame, most confident first. */
  async readFrame(image: ImageInput, opts: ReadOptions = {}): Promise<PlateReading[]> {
    const frame = await openFrame(image, WORK_WIDTH);
    const found = this.detector.find(frame.work).map((f) => f.quad);
    const quads = found.map((q) => q.map((p) => ({ x: p.x / frame.scale, y: p.y / frame.scale })) as Quad);
    const sources = await this.cropSources(frame, found, quads);
    if (quads.length === 0) return [];
    // One view decides which candidates are plates and, where colour and edge candidates of one
    // plate overlap, which of them is; only those are read in the other views.
    const first = this.predict(this.warpFrom(sources, [...quads.keys()], [LOOSE]));
    const singles = this.decodeViews(first, 1, opts);
    const best = [...quads.keys()]
      .filter((i) => geometricMean(singles[i].charConfidences) >= this.minCharConfidence)
      .sort((a, b) => singles[b].confidence - singles[a].confidence);
    const plates: number[] = [];
    for (const i of best) if (!plates.some((k) => overlaps(quads[k], quads[i]))) plates.push(i);
    if (plates.length === 0) return [];
    // The first of the views is the loose crop just read (viewsAround starts with the base framing).
    const more = this.predict(this.warpFrom(sources, plates, viewsAround(LOOSE).slice(1)));
    const views = { chars: withFirstView(first.chars, more.chars, SLOTS * VOCAB.length, plates), colors: withFirstView(first.colors, more.colors, PLATE_COLORS.length, plates) };
    return this.decodeViews(views, VIEW_COUNT, opts)
      .map((d, k) => this.toReading(d, quads[plates[k]]))
      .sort((a, b) => b.confidence - a.confidence);
  }

  /**
   * Where each candidate's crops are warped from (`work`: quads in the searched image, `full`: in
   * frame pixels). A plate at least ~the crop's width in the searched image is warped from it;
   * smaller ones from full-resolution pixels of the region around them, decoded once for all.
   */
  private async cropSources(frame: Frame, work: Quad[], full: Quad[]): Promise<CropSource[]> {
    const fine = [...work.keys()].filter((i) => frame.scale === 1 || quadWidth(work[i]) >= INPUT_W * 0.8);
    const sources: CropSource[] = [{ img: frame.work, quads: new Map(fine.map((i) => [i, work[i]])) }];
    const small = [...full.keys()].filter((i) => !fine.includes(i));
    if (small.length > 0) {
      const b = small.map((i) => bounds(full[i])).reduce((u, x) => ({ x0: Math.min(u.x0, x.x0), x1: Math.max(u.x1, x.x1), y0: Math.min(u.y0, x.y0), y1: Math.max(u.y1, x.y1) }));
      // A margin for the warp's interpolation and its loose framing.
      const pad = 4;
      const region = await frame.region({ x: b.x0 - pad, y: b.y0 - pad, width: b.x1 - b.x0 + 2 * pad, height: b.y1 - b.y0 + 2 * pad });
      sources.push({ img: region, quads: new Map(small.map((i) => [i, full[i].map((p) => ({ x: p.x - region.x, y: p.y - region.y })) as Quad])) });
    }
    return sources;
  }

  /** Crops of the candidates `indices`, in that order, each in every framing of `framings`. */
  private warpFrom(sources: readonly CropSource[], indices: readonly number[], framings: readonly Framing[]): Uint8Array[] {
    const byCandidate = new Map<number, Uint8Array[]>();
    for (const { img, quads } of sources) {
      const mine = indices.filter((i) => quads.has(i));
      const crops = this.detector.warp(img, mine.map((i) => quads.get(i)!), framings);
      mine.forEach((i, k) => byCandidate.set(i, crops.slice(k * framings.length, (k + 1) * framings.length)));
    }
    return indices.flatMap((i) => byCandidate.get(i)!);
  }

  /** Treats the whole image as a tight plate crop; always returns one reading. */
  async readCrop(image: ImageInput, opts: ReadOptions = {}): Promise<PlateReading> {
    const rgb = await toRgb(image);
    const box: Quad = [
      { x: 0, y: 0 },
      { x: rgb.width, y: 0 },
      { x: rgb.width, y: rgb.height },
      { x: 0, y: rgb.height },
    ];
    const [d] = this.decodeViews(this.predict(this.detector.warp(rgb, [box], viewsAround(TIGHT))), VIEW_COUNT, opts);
    return this.toReading(d, box);
  }

  dispose(): void {
    this.model.dispose();
  }
}

function geometricMean(xs: readonly number[]): number {
  return Math.exp(xs.reduce((s, x) => s + Math.log(Math.max(x, 1e-9)), 0) / xs.length);
}

function quadWidth(q: Quad): number {
  return Math.hypot(q[1].x - q[0].x, q[1].y - q[0].y);
}

function bounds(q: Quad) {
  const xs = q.map((p) => p.x);
  const ys = q.map((p) => p.y);
  return { x0: Math.min(...xs), x1: Math.max(...xs), y0: Math.min(...ys), y1: Math.max(...ys) };
}

/** True when either box's centre lies inside the other. */
function overlaps(a: Quad, b: Quad): boolean {
  const ba = bounds(a);
  const bb = bounds(b);
  const inside = (bx: typeof ba, x: number, y: number) => x >= bx.x0 && x <= bx.x1 && y >= bx.y0 && y <= bx.y1;
  return inside(ba, (bb.x0 + bb.x1) / 2, (bb.y0 + bb.y1) / 2) || inside(bb, (ba.x0 + ba.x1) / 2, (ba.y0 + ba.y1) / 2);
}
