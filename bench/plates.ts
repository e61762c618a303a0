// Plate recognition speed and accuracy on this machine: ms per plate (wasm, and the pure-JS cpu
// backend as the in-process baseline; one crop, and a plate read in all its views), ms per 1080p frame split into decode (straight to the
// detector's work size) / detect / the rest (crops and recognition), and exact accuracy on
// held-out synthetic crops and the real samples (HyperLPR's, and the LPRNet test half).
// `npm run bench:plates`; writes bench/results/plates.json.
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { PlateDetector, WORK_WIDTH } from '../analytics/src/plates/detect';
import { evalLprnetCrops, evalRealCrops, evalRealScenes, evalSyntheticCrops, evalSyntheticScenes } from '../analytics/src/plates/evaluate';
import { openFrame, toRgb } from '../analytics/src/plates/image';
import { PlateReader } from '../analytics/src/plates/reader';
import { Rng } from '../analytics/src/plates/rng';
import { makeScene } from '../analytics/src/plates/scene';
import { INPUT_H, INPUT_W, makeCropSample } from '../analytics/src/plates/synth';
import { VIEW_COUNT } from '../analytics/src/plates/views';

const FRAMES = Number(process.env.QLY_BENCH_FRAMES ?? 30);
const CROPS = Number(process.env.QLY_BENCH_CROPS ?? 300);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function msPerPlate(reader: PlateReader, crops: Uint8Array[], batch: number): Promise<number> {
  reader.recognize(crops.slice(0, batch)); // warm-up (kernels, caches)
  const t = performance.now();
  let n = 0;
  for (let i = 0; i + batch <= crops.length; i += batch, n += batch) reader.recognize(crops.slice(i, i + batch));
  return (performance.now() - t) / n;
}

/** A whole plate reading as the product does it: `readCrop`, every view in one batch (views.ts). */
async function msPerPlateRead(reader: PlateReader, crops: Uint8Array[]): Promise<number> {
  const read = (c: Uint8Array) => reader.readCrop({ data: c, width: INPUT_W, height: INPUT_H });
  await read(crops[0]);
  const t = performance.now();
  for (const c of crops) await read(c);
  return (performance.now() - t) / crops.length;
}

async function main(): Promise<void> {
  // The goal is per core: libvips gets one thread like tfjs-wasm and OpenCV.
  sharp.concurrency(1);
  const reader = await PlateReader.create();
  const detector = await PlateDetector.create();
  const rng = new Rng(2024);
  const crops: Uint8Array[] = [];
  for (let i = 0; i < 64; i++) crops.push((await makeCropSample(rng)).rgb);

  const wasm1 = await msPerPlate(reader, crops, 1);
  const wasm16 = await msPerPlate(reader, crops, 16);
  const allViews = await msPerPlateRead(reader, crops);
  await tf.setBackend('cpu');
  const cpu1 = await msPerPlate(reader, crops.slice(0, 16), 1);
  await tf.setBackend('wasm');

  const fullDecode: number[] = [];
  const decode: number[] = [];
  const detect: number[] = [];
  const total: number[] = [];
  const cpuMs: number[] = [];
  for (let i = 0; i < FRAMES; i++) {
    const scene = await makeScene(rng);
    let t = performance.now();
    await toRgb(scene.jpeg);
    fullDecode.push(performance.now() - t);
    t = performance.now();
    const frame = await openFrame(scene.jpeg, WORK_WIDTH);
    decode.push(performance.now() - t);
    t = performance.now();
    detector.find(frame.work);
    detect.push(performance.now() - t);
    t = performance.now();
    const cpu0 = process.cpuUsage();
    await reader.readFrame(scene.jpeg);
    total.push(performance.now() - t);
    const cpu = process.cpuUsage(cpu0);
    // CPU time of every thread of the process: a core's worth of work, whatever the machine's load
    // made us wait (wall times on a shared machine include time spent waiting for a core).
    cpuMs.push((cpu.user + cpu.system) / 1000);
  }
  // A gate camera's plates (the simulator's: 278 px at 1080p) are warped from the 640 px image; the
  // frames above (plates 110–320 px) often need a full-resolution decode of a region as well.
  const gateCpuMs: number[] = [];
  const gateTotal: number[] = [];
  for (let i = 0; i < FRAMES; i++) {
    const scene = await makeScene(rng, { minPlateW: 240, maxPlateW: 320 });
    const t = performance.now();
    const cpu0 = process.cpuUsage();
    await reader.readFrame(scene.jpeg);
    gateTotal.push(performance.now() - t);
    const cpu = process.cpuUsage(cpu0);
    gateCpuMs.push((cpu.user + cpu.system) / 1000);
  }

  const synthCrops = await evalSyntheticCrops(reader, CROPS);
  const synthScenes = await evalSyntheticScenes(reader, FRAMES);
  const realCrops = await evalRealCrops(reader);
  const lprnetTest = await evalLprnetCrops(reader, 'test');
  const realScenes = await evalRealScenes(reader);
  reader.dispose();

  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load ${os.loadavg()[0].toFixed(1)}`;
  const result = {
    machine,
    cpus: os.cpus().length,
    node: process.version,
    msPerPlate: { wasmBatch1: wasm1, wasmBatch16: wasm16, cpuBackendBatch1: cpu1, readCropAllViews: allViews },
    ms1080pFrame: {
      fullDecodeP50: pct(fullDecode, 50),
      decodeP50: pct(decode, 50),
      detectP50: pct(detect, 50),
      readFrameP50: pct(total, 50),
      readFrameP95: pct(total, 95),
      readFrameCpuP50: pct(cpuMs, 50),
      gateSizedPlates: { readFrameP50: pct(gateTotal, 50), readFrameCpuP50: pct(gateCpuMs, 50) },
    },
    accuracy: [synthCrops, synthScenes, realCrops, lprnetTest, { ...realScenes, misses: undefined }],
  };
  console.log(`plates bench — ${machine}, Node ${process.version}`);
  console.log('| measure | value |');
  console.log('| --- | ---: |');
  console.log(`| recognition, wasm, 1 plate per call | ${wasm1.toFixed(2)} ms/plate |`);
  console.log(`| recognition, wasm, 16 plates per call | ${wasm16.toFixed(2)} ms/plate |`);
  console.log(`| a plate read as the product reads it (readCrop: ${VIEW_COUNT} views in one batch) | ${allViews.toFixed(2)} ms/plate |`);
  console.log(`| recognition, pure-JS cpu backend (baseline), 1 per call | ${cpu1.toFixed(2)} ms/plate |`);
  console.log(`| 1080p JPEG full decode (sharp; not used by readFrame), p50 | ${pct(fullDecode, 50).toFixed(1)} ms |`);
  console.log(`| 1080p JPEG decode to ${WORK_WIDTH} px (shrink-on-load), p50 | ${pct(decode, 50).toFixed(1)} ms |`);
  console.log(`| detection (${WORK_WIDTH} px), p50 | ${pct(detect, 50).toFixed(1)} ms |`);
  console.log(`| readFrame 1080p (plates 110–320 px), p50 / p95 | ${pct(total, 50).toFixed(1)} / ${pct(total, 95).toFixed(1)} ms |`);
  console.log(`| readFrame 1080p (plates 110–320 px), CPU time of the process (all threads), p50 | ${pct(cpuMs, 50).toFixed(1)} ms |`);
  console.log(`| readFrame 1080p, gate-sized plates (240–320 px), wall / CPU p50 | ${pct(gateTotal, 50).toFixed(1)} / ${pct(gateCpuMs, 50).toFixed(1)} ms |`);
  for (const a of result.accuracy) console.log(`| exact, ${a.set} (n=${a.n}) | ${(a.exact * 100).toFixed(1)} % |`);
  const dir = path.resolve('bench/results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'plates.json'), JSON.stringify(result, null, 2));
}

await main();
