// Accuracy and speed measurements shared by `npm run eval:plates` and bench/plates.ts.
// Held-out synthetic data uses seeds the training never draws from (training: 20261129 and the
// validation seed 777).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import { ASSETS_DIR } from './fonts';
import type { PlateReader, PlateReading, ReadOptions } from './reader';
import { Rng } from './rng';
import { makeScene, type Point } from './scene';
import { INPUT_H, INPUT_W, makeCropSample } from './synth';

export const HELD_OUT_CROP_SEED = 424242;
export const HELD_OUT_SCENE_SEED = 515151;
export const REAL_DIR = path.join(ASSETS_DIR, 'real-plates');
/** 1000 real 94×24 crops from LPRNet_Pytorch's test set (see real-plates/SOURCES.md), label = file name. */
export const LPRNET_DIR = path.join(REAL_DIR, 'lprnet');

export type RealHalf = 'dev' | 'test';

/**
 * Fixed split of the LPRNet crops by a hash of the file name: the dev half may be looked at to tune
 * the synthetic generator, the test half only measured, so its row stays an honest estimate.
 */
export function lprnetHalf(file: string): RealHalf {
  return createHash('sha256').update(file).digest()[0] % 2 === 0 ? 'dev' : 'test';
}

export function lprnetCrops(half: RealHalf, dir = LPRNET_DIR): { file: string; text: string }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jpg') && lprnetHalf(f) === half)
    .sort()
    .map((f) => ({ file: path.join(dir, f), text: f.slice(0, -'.jpg'.length) }));
}

export interface Accuracy {
  set: string;
  n: number;
  /** Share of plates read exactly (all characters). */
  exact: number;
  /** Share of characters right, position by position (crops only). */
  chars?: number;
  /** Share of plates with a detection at the right place (scenes with boxes only). */
  recall?: number;
  /** Median milliseconds per crop (crops) or per frame including JPEG decode (scenes). */
  msMedian: number;
  /** Crops: share of readings flagged confident (the gate decides those without a person)… */
  confident?: number;
  /** …and the share of those that are wrong. */
  confidentWrong?: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};

function charHits(truth: string, got: string): number {
  const g = [...got];
  return [...truth].filter((c, i) => g[i] === c).length;
}

function inside(p: Point, quad: readonly Point[]): boolean {
  const xs = quad.map((q) => q.x);
  const ys = quad.map((q) => q.y);
  return p.x >= Math.min(...xs) && p.x <= Math.max(...xs) && p.y >= Math.min(...ys) && p.y <= Math.max(...ys);
}

const centre = (r: PlateReading): Point => ({ x: r.box.reduce((s, p) => s + p.x, 0) / 4, y: r.box.reduce((s, p) => s + p.y, 0) / 4 });

/** Synthetic crops as PNG files would arrive (readCrop path, one at a time). */
export async function evalSyntheticCrops(reader: PlateReader, n: number, seed = HELD_OUT_CROP_SEED): Promise<Accuracy> {
  const rng = new Rng(seed);
  let exact = 0;
  let chars = 0;
  let total = 0;
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = await makeCropSample(rng);
    const raw = { data: s.rgb, width: INPUT_W, height: INPUT_H };
    const t = performance.now();
    const r = await reader.readCrop(raw);
    ms.push(performance.now() - t);
    if (r.text === s.text) exact++;
    chars += charHits(s.text, r.text);
    total += [...s.text].length;
  }
  return { set: 'synthetic crops (held out)', n, exact: exact / n, chars: chars / total, msMedian: median(ms) };
}

/** Synthetic 1080p gate scenes, JPEG in (readFrame path). */
export async function evalSyntheticScenes(reader: PlateReader, n: number, seed = HELD_OUT_SCENE_SEED): Promise<Accuracy> {
  const rng = new Rng(seed);
  let exact = 0;
  let found = 0;
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const scene = await makeScene(rng);
    const t = performance.now();
    const readings = await reader.readFrame(scene.jpeg);
    ms.push(performance.now() - t);
    const truth = scene.plates[0];
    const here = readings.filter((r) => inside(centre(r), truth.quad));
    if (here.length > 0) found++;
    if (here.some((r) => r.text === truth.text)) exact++;
  }
  return { set: 'synthetic 1080p scenes (held out)', n, exact: exact / n, recall: found / n, msMedian: median(ms) };
}

interface RealLabels {
  crops: Record<string, string>;
  scenes: Record<string, string[]>;
}

function realLabels(dir: string): RealLabels {
  return JSON.parse(readFileSync(path.join(dir, 'labels.json'), 'utf8')) as RealLabels;
}

async function evalCropFiles(reader: PlateReader, set: string, entries: readonly { file: string; text: string }[], opts: ReadOptions = {}): Promise<Accuracy> {
  let exact = 0;
  let chars = 0;
  let total = 0;
  let confident = 0;
  let confidentWrong = 0;
  const ms: number[] = [];
  for (const { file, text } of entries) {
    const bytes = readFileSync(file);
    const t = performance.now();
    const r = await reader.readCrop(bytes, opts);
    ms.push(performance.now() - t);
    if (r.text === text) exact++;
    if (r.confident) {
      confident++;
      if (r.text !== text) confidentWrong++;
    }
    chars += charHits(text, r.text);
    total += [...text].length;
  }
  const n = entries.length;
  return { set, n, exact: exact / n, chars: chars / total, msMedian: median(ms), confident: confident / n, confidentWrong: confident ? confidentWrong / confident : 0 };
}

export async function evalRealCrops(reader: PlateReader, dir = REAL_DIR): Promise<Accuracy> {
  const entries = Object.entries(realLabels(dir).crops).map(([file, text]) => ({ file: path.join(dir, 'crops', file), text }));
  return evalCropFiles(reader, 'real tight crops (HyperLPR samples)', entries);
}

/**
 * One half of the LPRNet crops; with a local province, as a gate in Anhui reads them (the set is
 * 96 % 皖); `notOf` keeps only plates of other provinces (what a local prior may cost them).
 */
export async function evalLprnetCrops(reader: PlateReader, half: RealHalf, opts: ReadOptions & { notOf?: string } = {}): Promise<Accuracy> {
  const entries = lprnetCrops(half).filter((e) => !opts.notOf || !e.text.startsWith(opts.notOf));
  const label = `real tight crops, LPRNet ${half} half${opts.notOf ? `, plates not of ${opts.notOf}` : ''}${opts.localProvince ? `, local province ${opts.localProvince}` : ''}`;
  return evalCropFiles(reader, label, entries, { localProvince: opts.localProvince });
}

/** Real photographs: no boxes in the labels, so only "was the plate read somewhere". */
export async function evalRealScenes(reader: PlateReader, dir = REAL_DIR): Promise<Accuracy & { misses: { file: string; truth: string[]; got: string[] }[] }> {
  const entries = Object.entries(realLabels(dir).scenes);
  let exact = 0;
  const ms: number[] = [];
  const misses: { file: string; truth: string[]; got: string[] }[] = [];
  for (const [file, plates] of entries) {
    const bytes = readFileSync(path.join(dir, 'scenes', file));
    const t = performance.now();
    const readings = await reader.readFrame(bytes);
    ms.push(performance.now() - t);
    const got = readings.map((r) => r.text);
    const hits = plates.filter((p) => got.includes(p)).length;
    exact += hits / plates.length;
    if (hits < plates.length) misses.push({ file, truth: plates, got });
  }
  return { set: 'real whole photographs (HyperLPR samples)', n: entries.length, exact: exact / entries.length, msMedian: median(ms), misses };
}

/** Recognition alone on a batch of ready crops: the model's own cost per plate. */
export async function msPerPlateBatched(reader: PlateReader, batch = 16, rounds = 5): Promise<number> {
  const rng = new Rng(99);
  const crops: Uint8Array[] = [];
  for (let i = 0; i < batch; i++) crops.push((await makeCropSample(rng)).rgb);
  reader.recognize(crops);
  const t = performance.now();
  for (let i = 0; i < rounds; i++) reader.recognize(crops);
  return (performance.now() - t) / (rounds * batch);
}

/** One JPEG frame of a video at `t` seconds, scaled to the truth's frame size (the stream may be larger). */
async function frameAt(video: string, t: number, width: number, height: number): Promise<Buffer> {
  const args = ['-v', 'error', '-ss', t.toFixed(3), '-i', video, '-frames:v', '1', '-vf', `scale=${width}:${height}`, '-f', 'image2pipe', '-vcodec', 'mjpeg', '-q:v', '3', '-'];
  const { stdout } = await promisify(execFile)('ffmpeg', args, {
    encoding: 'buffer',
    maxBuffer: 32 * 1024 * 1024,
  });
  return stdout;
}

/**
 * The camera simulator's `gate` scene (its own plate drawing, H.264 720p): one frame per vehicle,
 * in the middle of its stop at the barrier, against the scene's ground truth.
 */
export async function evalGateScene(reader: PlateReader): Promise<Accuracy> {
  const { renderScene } = await import('../../../camera-sim/src/index');
  const scene = await renderScene('gate');
  const truth = scene.truth as { width: number; height: number; vehicles: { plate: string; stopStart: number; stopEnd: number; box: [number, number, number, number] }[] };
  let exact = 0;
  let found = 0;
  const ms: number[] = [];
  for (const v of truth.vehicles) {
    const jpeg = await frameAt(scene.mainPath, (v.stopStart + v.stopEnd) / 2, truth.width, truth.height);
    const t = performance.now();
    const readings = await reader.readFrame(jpeg);
    ms.push(performance.now() - t);
    const [bx, by, bw, bh] = v.box;
    const quad = [
      { x: bx * truth.width, y: by * truth.height },
      { x: (bx + bw) * truth.width, y: (by + bh) * truth.height },
    ];
    const here = readings.filter((r) => inside(centre(r), quad));
    if (here.length > 0) found++;
    if (here.some((r) => r.text === v.plate)) exact++;
  }
  const n = truth.vehicles.length;
  return { set: 'camera-sim gate scene (720p H.264 frames)', n, exact: exact / n, recall: found / n, msMedian: median(ms) };
}
