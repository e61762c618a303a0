// CPU per simulated camera (looped scenes, one RTSP/TCP viewer on each main stream) for N = 1, 8, 16,
// against N plain `ffmpeg -re -stream_loop -1 -i main.mp4 -c copy` loops sending MPEG-TS over UDP
// in the same run; then the live cameras (clock, PTZ): CPU idle and watched (Node + encoder), and
// glass-to-glass latency read from the clock's block code in frames decoded here.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { decodeClockFrame, renderScene, type CameraSpec } from '../camera-sim/src/index';
import { TestRtspClient } from '../camera-sim/test-support/rtsp-client';
import { cpuSeconds, sleep } from './lib/proc';

const COUNTS = (process.env.QLY_BENCH_CAMERAS ?? '1,8,16').split(',').map(Number);
const WINDOW_MS = Number(process.env.QLY_BENCH_WINDOW_MS ?? 10_000);
const WARMUP_MS = 3000;

/** pid and all its descendants (the worker's ffmpeg encoder counts for the clock camera). */
function tree(pid: number): number[] {
  let kids: number[] = [];
  try {
    kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    /* process gone */
  }
  return [pid, ...kids.flatMap(tree)];
}

async function cpuPercent(pids: () => number[]): Promise<number> {
  await sleep(WARMUP_MS);
  const c0 = pids().reduce((n, p) => n + cpuSeconds(p), 0);
  const t0 = performance.now();
  await sleep(WINDOW_MS);
  const c1 = pids().reduce((n, p) => n + cpuSeconds(p), 0);
  return ((c1 - c0) / ((performance.now() - t0) / 1000)) * 100;
}

interface WorkerCamera {
  host: string;
  rtspPort: number;
  main: string;
  sub: string;
  username: string;
  password: string;
}

async function startWorker(specs: CameraSpec[]): Promise<{ child: ChildProcess; cameras: WorkerCamera[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('bench', 'camera-sim-worker.ts'), JSON.stringify(specs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`worker exited ${code}`)));
  });
  return { child, cameras: JSON.parse(line) as WorkerCamera[] };
}

async function stopWorker(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(5000)]);
  child.kill('SIGKILL');
}

const LOOPED: CameraSpec[] = [
  { name: 'gate', location: 'bench', scene: 'gate' },
  { name: 'street', location: 'bench', scene: 'street', variant: 'day' },
  { name: 'classroom', location: 'bench', scene: 'classroom' },
];

async function simRun(n: number): Promise<number> {
  const specs = Array.from({ length: n }, (_, i) => LOOPED[i % LOOPED.length]);
  const { child, cameras } = await startWorker(specs);
  const viewers = await Promise.all(
    cameras.map(async (c) => {
      const v = new TestRtspClient(c.host, c.rtspPort, c);
      await v.connect();
      await v.play(c.main);
      return v;
    }),
  );
  // Drop received packets as they come: only the camera side is measured.
  const drain = setInterval(() => viewers.forEach((v) => v.rtp.splice(0) && v.rtcp.splice(0)), 200);
  const cpu = await cpuPercent(() => tree(child.pid!));
  clearInterval(drain);
  viewers.forEach((v) => v.close());
  await stopWorker(child);
  return cpu;
}

async function baselineRun(n: number, files: string[]): Promise<number> {
  const procs = Array.from({ length: n }, (_, i) =>
    spawn('ffmpeg', ['-v', 'error', '-re', '-stream_loop', '-1', '-i', files[i % files.length], '-c', 'copy', '-f', 'mpegts', `udp://127.0.0.1:${40_000 + 2 * i}?pkt_size=1316`], { stdio: 'ignore' }),
  );
  const cpu = await cpuPercent(() => procs.map((p) => p.pid!).filter(Boolean));
  for (const p of procs) p.kill('SIGKILL');
  return cpu;
}

/** CPU of one live camera (Node + its encoder) idle and with one viewer. */
async function liveCpu(spec: CameraSpec): Promise<{ idle: number; watched: number }> {
  const { child, cameras } = await startWorker([spec]);
  await sleep(6000); // the encoder lingers 5 s after start-up before idling down
  const idle = await cpuPercent(() => tree(child.pid!));
  const cam = cameras[0];
  const viewer = new TestRtspClient(cam.host, cam.rtspPort, cam);
  await viewer.connect();
  await viewer.play(cam.main);
  const drain = setInterval(() => viewer.rtp.splice(0) && viewer.rtcp.splice(0), 200);
  const watched = await cpuPercent(() => tree(child.pid!));
  clearInterval(drain);
  viewer.close();
  await stopWorker(child);
  return { idle, watched };
}

async function clockLatency(): Promise<{ p50: number; p95: number; frames: number }> {
  const { child, cameras } = await startWorker([{ name: 'clock', location: 'bench', scene: 'clock' }]);
  const cam = cameras[0];
  // Latency: decode the sub stream here and compare each frame's code with our clock.
  const url = cam.sub.replace('rtsp://', `rtsp://${cam.username}:${cam.password}@`);
  const ff = spawn('ffmpeg', ['-v', 'error', '-fflags', 'nobuffer', '-flags', 'low_delay', '-rtsp_transport', 'tcp', '-i', url, '-frames:v', '250', '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgba', 'pipe:1'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const size = 640 * 360 * 4;
  const lat: number[] = [];
  let buf = Buffer.alloc(0);
  ff.stdout.on('data', (c: Buffer) => {
    buf = Buffer.concat([buf, c]);
    while (buf.length >= size) {
      const code = decodeClockFrame(buf.subarray(0, size), 640, 360);
      if (code !== null) lat.push(Date.now() - code);
      buf = buf.subarray(size);
    }
  });
  await Promise.race([new Promise((r) => ff.once('exit', r)), sleep(30_000)]);
  ff.kill('SIGKILL');
  await stopWorker(child);
  // Skip the first second: ffmpeg's start-up buffering is not camera latency.
  const steady = lat.slice(25).sort((a, b) => a - b);
  const q = (p: number): number => steady[Math.min(steady.length - 1, Math.floor(p * steady.length))] ?? NaN;
  return { p50: q(0.5), p95: q(0.95), frames: steady.length };
}

const cpus = os.cpus();
console.log(`camera-sim bench — ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, Node ${process.version}, load ${os.loadavg()[0].toFixed(1)}`);
const files = await Promise.all(LOOPED.map((s) => renderScene(s.scene, s.variant).then((r) => r.mainPath)));
const rows: { cameras: number; simCpuPct: number; simPerCameraPct: number; ffmpegCpuPct: number; ffmpegPerCameraPct: number }[] = [];
for (const n of COUNTS) {
  const sim = await simRun(n);
  const base = await baselineRun(n, files);
  rows.push({ cameras: n, simCpuPct: sim, simPerCameraPct: sim / n, ffmpegCpuPct: base, ffmpegPerCameraPct: base / n });
}
const clock = await liveCpu({ name: 'clock', location: 'bench', scene: 'clock' });
const ptz = await liveCpu({ name: 'ptz', location: 'bench', scene: 'street', variant: 'day', ptz: true });
const latency = await clockLatency();

console.log('\nlooped 1080p cameras, one RTSP/TCP viewer each (CPU % of one core)');
console.log('cameras | camera-sim total | per camera | ffmpeg -c copy loops total | per loop');
for (const r of rows) {
  console.log(`${String(r.cameras).padStart(7)} | ${r.simCpuPct.toFixed(1).padStart(16)} | ${r.simPerCameraPct.toFixed(2).padStart(10)} | ${r.ffmpegCpuPct.toFixed(1).padStart(26)} | ${r.ffmpegPerCameraPct.toFixed(2).padStart(8)}`);
}
console.log('\nlive cameras (Node + x264 ultrafast 1280×720 + 640×360), CPU % of one core');
console.log('camera         | idle | one viewer');
console.log(`clock          | ${clock.idle.toFixed(1).padStart(4)} | ${clock.watched.toFixed(1).padStart(10)}`);
console.log(`PTZ street day | ${ptz.idle.toFixed(1).padStart(4)} | ${ptz.watched.toFixed(1).padStart(10)}`);
console.log(`\nclock glass-to-glass (capture → RTSP/TCP → ffmpeg decode here), ${latency.frames} frames: p50 ${latency.p50} ms, p95 ${latency.p95} ms`);

mkdirSync('bench/results', { recursive: true });
writeFileSync(
  'bench/results/camera-sim.json',
  JSON.stringify({ machine: { cpus: cpus.length, model: cpus[0]?.model, node: process.version, load1: os.loadavg()[0] }, windowMs: WINDOW_MS, looped: rows, live: { clock, ptz }, clockLatencyMs: latency }, null, 2),
);
console.log('\nwrote bench/results/camera-sim.json');
