// CPU per analysed camera for stall detection at 2 fps, and cameras per core.
// Frames: the camera simulator's street sub-stream (640×360 H.264). Rows:
//   detector            — StallDetector.process per frame (work image 320 wide), in-process;
//   detector @160       — the same with a 160-wide work image;
//   MOG2 baseline       — OpenCV's own BackgroundSubtractorMOG2 + open/close + components at
//                         320 wide: the stock in-process alternative, for scale;
//   decode (ffmpeg)     — ffmpeg decoding the sub-stream and emitting 2 fps RGB, CPU per second
//                         of video (H.264 must decode every frame to produce any);
// `npm run bench:stalls`; writes bench/results/stalls.json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { loadCv } from '../analytics/src/stalls/cv';
import { StallDetector, type DetectorOptions } from '../analytics/src/stalls/detector';
import { decodeFrames, ffmpegArgs } from '../analytics/src/stalls/ffmpeg-frames';
import { FramePrep } from '../analytics/src/stalls/prep';
import type { Frame, ZoneSpec } from '../analytics/src/stalls/types';
import { renderScene } from '../camera-sim/src/index';

const FPS = 2;
const scene = await renderScene('street', 'day');
const truth = scene.truth as unknown as { zones: { id: string; polygon: [number, number][] }[]; durationSec: number };
const zones: ZoneSpec[] = truth.zones.map((z) => ({ id: z.id, polygon: z.polygon, dwellSec: 20 }));

const frames: Frame[] = [];
for await (const { frame } of decodeFrames(scene.subPath, { fps: FPS, maxWidth: 640 })) frames.push(frame);

function cpuMs(fn: () => void): number {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

async function detectorMsPerFrame(opt: Partial<DetectorOptions>): Promise<number> {
  const d = await StallDetector.create(zones, opt);
  // Warm the JIT and the background model on a first pass, measure the second (new detector).
  for (let i = 0; i < Math.min(40, frames.length); i++) d.process(frames[i], i / FPS);
  d.dispose();
  const m = await StallDetector.create(zones, opt);
  const ms = cpuMs(() => frames.forEach((f, i) => m.process(f, i / FPS)));
  m.dispose();
  return ms / frames.length;
}

async function mog2MsPerFrame(): Promise<number> {
  const cv = await loadCv();
  const prep = new FramePrep(cv, 320, 180);
  // Present in the build, missing from its type declarations.
  type Mog2 = { apply(img: unknown, fg: unknown, rate: number): void; delete(): void };
  const Mog2Ctor = (cv as unknown as { BackgroundSubtractorMOG2: new (history: number, threshold: number, shadows: boolean) => Mog2 }).BackgroundSubtractorMOG2;
  const mog = new Mog2Ctor(500, 16, true);
  const img = new cv.Mat(180, 320, cv.CV_8UC3);
  const fg = new cv.Mat();
  const labels = new cv.Mat();
  const stats = new cv.Mat();
  const cents = new cv.Mat();
  const k = cv.getStructuringElement(cv.MORPH_ELLIPSE, new cv.Size(5, 5));
  const ms = cpuMs(() => {
    for (const f of frames) {
      img.data.set(prep.run(f));
      mog.apply(img, fg, -1);
      cv.morphologyEx(fg, fg, cv.MORPH_OPEN, k);
      cv.morphologyEx(fg, fg, cv.MORPH_CLOSE, k);
      cv.connectedComponentsWithStats(fg, labels, stats, cents, 8, cv.CV_32S);
    }
  });
  for (const m of [img, fg, labels, stats, cents, k]) m.delete();
  mog.delete();
  prep.dispose();
  return ms / frames.length;
}

/** ffmpeg CPU (user + sys of the child) per second of video. */
function decodeCpuPerVideoSecond(): number {
  const r = spawnSync('bash', ['-c', 'TIMEFORMAT="%U %S"; time ffmpeg "$@" > /dev/null', 'ffmpeg', ...ffmpegArgs(scene.subPath, { fps: FPS, maxWidth: 640 })], { encoding: 'utf8' });
  const [u, s] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return ((u + s) * 1000) / truth.durationSec;
}

const det = await detectorMsPerFrame({});
const det160 = await detectorMsPerFrame({ workWidth: 160 });
const mog2 = await mog2MsPerFrame();
const decodeMsPerSec = decodeCpuPerVideoSecond();

const rows = [
  { name: 'detector (320 wide)', msPerFrame: det, coreShare: (det * FPS) / 1000 },
  { name: 'detector (160 wide)', msPerFrame: det160, coreShare: (det160 * FPS) / 1000 },
  { name: 'MOG2 baseline (320 wide)', msPerFrame: mog2, coreShare: (mog2 * FPS) / 1000 },
  { name: 'decode: ffmpeg 640×360 H.264 → 2 fps RGB', msPerFrame: decodeMsPerSec / FPS, coreShare: decodeMsPerSec / 1000 },
  { name: 'detector + decode', msPerFrame: det + decodeMsPerSec / FPS, coreShare: (det * FPS + decodeMsPerSec) / 1000 },
];
const pct = (v: number) => `${(v * 100).toFixed(2)} %`;
console.log(`\nstall detection CPU at ${FPS} fps — ${frames.length} frames of street/day (640×360), ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load ${os.loadavg()[0].toFixed(1)}\n`);
console.log('| what | CPU ms / analysed frame | share of one core per camera | cameras per core |');
console.log('| --- | --- | --- | --- |');
for (const r of rows) console.log(`| ${r.name} | ${r.msPerFrame.toFixed(2)} | ${pct(r.coreShare)} | ${Math.floor(1 / r.coreShare)} |`);
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/stalls.json', JSON.stringify({ fps: FPS, frames: frames.length, cpus: os.cpus().length, loadavg: os.loadavg()[0], date: new Date().toISOString(), rows }, null, 2));
console.log('\nwritten bench/results/stalls.json');
