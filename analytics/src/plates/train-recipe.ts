// `npm run train:plates [-- --out DIR]`: the committed model's recipe, seven train.ts stages, each
// in its own process at nice 10, each but the first continuing from the weights the one before
// wrote. Same arguments as the stages had when the committed weights were made, so the result is
// those weights byte for byte (analytics/README.md, Training). --out writes elsewhere (e.g. to
// check that claim without touching the committed model); prints the stage and the whole run's ETA.
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ASSETS_DIR } from './fonts';

/** Per stage: steps, peak learning rate, seed, and the share of real crops (their province weighted 0). */
export const STAGES: { steps: number; lr: string; seed: number; realShare?: number }[] = [
  { steps: 800, lr: '2e-3', seed: 20261129 },
  { steps: 400, lr: '1e-3', seed: 20261130 },
  { steps: 7000, lr: '2e-3', seed: 20261201 },
  { steps: 2500, lr: '1.5e-3', seed: 20261202 },
  { steps: 1500, lr: '1e-3', seed: 20261203 },
  { steps: 1500, lr: '1e-3', seed: 20261204, realShare: 0.25 },
  { steps: 2000, lr: '7e-4', seed: 20261206, realShare: 0.35 },
];

/** train.ts arguments of stage `i` writing to (and, after the first, continuing from) `dir`. */
export function stageArgs(i: number, dir: string): string[] {
  const s = STAGES[i];
  return [
    ...(i > 0 ? ['--init', dir] : []),
    ...['--steps', String(s.steps), '--lr', s.lr, '--seed', String(s.seed), '--out', dir],
    ...(s.realShare ? ['--real-share', String(s.realShare), '--real-province', '0'] : []),
  ];
}

function run(args: string[]): Promise<void> {
  const train = path.join(path.dirname(fileURLToPath(import.meta.url)), 'train.ts');
  const child = spawn('nice', ['-n', '10', process.execPath, '--import', 'tsx', train, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
  return new Promise((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`train.ts ${args.join(' ')} exited with ${code}`)))));
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string', default: path.join(ASSETS_DIR, 'plates-model') } } });
  const dir = path.resolve(values.out!);
  const total = STAGES.reduce((n, s) => n + s.steps, 0);
  const started = Date.now();
  let done = 0;
  for (let i = 0; i < STAGES.length; i++) {
    const eta = done > 0 ? `, ~${Math.round(((Date.now() - started) / done) * (total - done) / 60000)} min left` : '';
    process.stderr.write(`\n== stage ${i + 1}/${STAGES.length}: steps ${done + 1}–${done + STAGES[i].steps} of ${total}${eta} ==\n`);
    await run(stageArgs(i, dir));
    done += STAGES[i].steps;
  }
  process.stderr.write(`\ntrained ${total} steps in ${Math.round((Date.now() - started) / 60000)} min → ${dir}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
