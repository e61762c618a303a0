// npm run eval:stalls [-- --dwell 20 --variants day,dusk,crowd --no-synthetic --no-real]
// Runs the detector over the camera simulator's `street` variants (rendered H.264 sub-stream,
// decoded by ffmpeg at 2 fps, the truth's zones), over synthetic scenes that cover cases the
// simulator does not (a lights-on jump, an object present at start-up that leaves) and over a
// real recording (analytics/assets/real-video/, hand-labelled), then prints precision, recall
// and detection delay per case and writes bench/results/stalls-eval.json.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { StallDetector } from './detector';
import { WHOLE_FRAME } from './polygon';
import { scoreEvents, type Score, type TruthStall } from './score';
import { randomWalkers, SyntheticRenderer, type SyntheticScene } from './synthetic';
import type { StallEvent, ZoneSpec } from './types';
import { detectInVideo } from './video-run';

const FPS = 2;

interface CaseResult extends Score {
  name: string;
  frames: number;
  msPerFrame: number;
}

interface StreetTruthFile {
  zones: { id: string; polygon: [number, number][] }[];
  stalls: { id: string; start: number; end: number; box: [number, number, number, number]; zone: { id: string } }[];
}

function finish(name: string, events: StallEvent[], truths: TruthStall[], dwell: number, frames: number, cpuMs: number): CaseResult {
  return { name, frames, msPerFrame: frames ? cpuMs / frames : 0, ...scoreEvents(events.map((e) => ({ ...e, end: e.end ?? e.start })), truths, dwell) };
}

async function streetCase(variant: string, dwell: number): Promise<CaseResult> {
  // camera-sim stands in for hardware; only this evaluation tool reaches into it for scenes.
  const { renderScene } = await import('../../../camera-sim/src/index');
  const scene = await renderScene('street', variant);
  const truth = scene.truth as unknown as StreetTruthFile;
  const zones: ZoneSpec[] = truth.zones.map((z) => ({ id: z.id, polygon: z.polygon, dwellSec: dwell }));
  const run = await detectInVideo(scene.subPath, zones, { fps: FPS });
  const truths = truth.stalls.map((s) => ({ id: s.id, start: s.start, end: s.end, box: s.box, zoneId: s.zone.id }));
  return finish(`street/${variant}`, run.events, truths, dwell, run.frames, run.detectorCpuMs);
}

interface RealTruthFile {
  video: string;
  still: { id: string; start: number; end: number; box: [number, number, number, number] }[];
}

/** A real recording, whole frame watched; its stalls are the labelled stays at least `dwell` long. */
async function realCase(truthFile: string, dwell: number): Promise<CaseResult> {
  const truth = JSON.parse(readFileSync(truthFile, 'utf8')) as RealTruthFile;
  const run = await detectInVideo(path.join(path.dirname(truthFile), truth.video), [{ id: 'all', polygon: WHOLE_FRAME, dwellSec: dwell }], { fps: FPS });
  const truths = truth.still.filter((s) => s.end - s.start >= dwell).map((s) => ({ id: s.id, start: s.start, end: s.end, box: s.box }));
  return finish(`real/${path.basename(truth.video, path.extname(truth.video))}`, run.events, truths, dwell, run.frames, run.detectorCpuMs);
}

const REAL_VIDEOS = [path.resolve(import.meta.dirname, '../../assets/real-video/vtest.truth.json')];

function syntheticScenes(): { name: string; scene: SyntheticScene }[] {
  const common = { width: 640, height: 360, fps: FPS, durationSec: 180, noise: 5, shadows: true };
  return [
    {
      name: 'synthetic/crowd-dusk',
      scene: {
        ...common,
        walkers: randomWalkers(11, 180, 4),
        light: (t) => 1 - 0.5 * (t / 180),
        stalls: [
          { id: 's1', start: 20, end: 120, box: [0.15, 0.65, 0.14, 0.1], color: [170, 60, 60], vendorUntil: 70 },
          { id: 's2', start: 60, end: 170, box: [0.65, 0.5, 0.1, 0.08], color: [60, 80, 170] },
        ],
      },
    },
    {
      name: 'synthetic/lights-ghost',
      scene: {
        ...common,
        walkers: randomWalkers(12, 180, 1),
        light: (t) => (t < 90 ? 0.65 : 1),
        initialObjects: [{ box: [0.8, 0.75, 0.1, 0.12], color: [40, 120, 60], leaveAt: 30 }],
        stalls: [{ id: 's1', start: 40, end: 150, box: [0.3, 0.6, 0.12, 0.1], color: [180, 120, 40], vendorUntil: 100 }],
      },
    },
  ];
}

async function syntheticCase(name: string, scene: SyntheticScene, dwell: number): Promise<CaseResult> {
  const r = new SyntheticRenderer(scene);
  const detector = await StallDetector.create([{ id: 'all', polygon: WHOLE_FRAME, dwellSec: dwell }]);
  const events: StallEvent[] = [];
  let cpu = 0;
  try {
    for (let i = 0; i < r.frameCount; i++) {
      const frame = r.render(i / FPS);
      const c0 = process.cpuUsage();
      const ups = detector.process(frame, i / FPS);
      const c = process.cpuUsage(c0);
      cpu += (c.user + c.system) / 1000;
      for (const u of ups) if (u.type === 'end') events.push(u.event);
    }
    for (const u of detector.flush()) events.push(u.event);
  } finally {
    detector.dispose();
  }
  const truths = scene.stalls.map((s) => ({ id: s.id, start: s.start, end: s.end, box: s.box }));
  return finish(name, events, truths, dwell, r.frameCount, cpu);
}

const fmt = (v: number | null, digits = 2) => (v === null ? '—' : v.toFixed(digits));

export function table(results: CaseResult[]): string {
  const rows = [
    ['case', 'frames', 'stalls', 'events', 'TP', 'precision', 'recall', 'mean delay s', 'max delay s', 'detector ms/frame'],
    ...results.map((r) => [r.name, String(r.frames), String(r.truths), String(r.events), String(r.truePositives), fmt(r.precision), fmt(r.recall), fmt(r.meanDelay, 1), fmt(r.maxDelay, 1), fmt(r.msPerFrame, 1)]),
  ];
  const all = results.reduce((a, r) => ({ t: a.t + r.truths, e: a.e + r.events, tp: a.tp + r.truePositives }), { t: 0, e: 0, tp: 0 });
  const delays = results.flatMap((r) => r.delays);
  rows.push(['all', '', String(all.t), String(all.e), String(all.tp), fmt(all.e ? all.tp / all.e : 1), fmt(all.t ? all.tp / all.t : 1), fmt(delays.length ? delays.reduce((a, b) => a + b, 0) / delays.length : null, 1), fmt(delays.length ? Math.max(...delays) : null, 1), '']);
  return ['| ' + rows[0].join(' | ') + ' |', '|' + rows[0].map(() => ' --- ').join('|') + '|', ...rows.slice(1).map((r) => '| ' + r.join(' | ') + ' |')].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { dwell: { type: 'string' }, variants: { type: 'string' }, 'no-synthetic': { type: 'boolean' }, 'no-real': { type: 'boolean' } } });
  const dwell = Number(values.dwell ?? 20);
  const variants = (values.variants ?? 'day,dusk,crowd').split(',').filter(Boolean);
  const results: CaseResult[] = [];
  for (const v of variants) {
    console.error(`[eval] street/${v} …`);
    results.push(await streetCase(v, dwell));
  }
  if (!values['no-synthetic']) {
    for (const { name, scene } of syntheticScenes()) {
      console.error(`[eval] ${name} …`);
      results.push(await syntheticCase(name, scene, dwell));
    }
  }
  if (!values['no-real']) {
    for (const file of REAL_VIDEOS) {
      console.error(`[eval] ${path.relative(process.cwd(), file)} …`);
      results.push(await realCase(file, dwell));
    }
  }
  console.log(`\nstall detection, dwell ${dwell} s, ${FPS} fps, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}\n`);
  console.log(table(results));
  const out = path.resolve('bench/results/stalls-eval.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ dwell, fps: FPS, cpus: os.cpus().length, date: new Date().toISOString(), results }, null, 2));
  console.log(`\nwritten ${path.relative(process.cwd(), out)}`);
}

await main();
