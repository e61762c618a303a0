// `npm run train:plates`: trains the recognizer on freshly generated synthetic crops and writes
// analytics/assets/plates-model/. Fixed seed; wasm on one thread, batches rendered on another
// (batches.ts); progress bar on stderr.
// Options: --steps N --batch N --seed N --lr PEAK --init DIR (continue from saved weights) --out DIR
// --until N (stop after step N of the --steps schedule: how a run cut short for time is reproduced)
// --real-share F (that share of every batch is a real crop of the LPRNet dev half, see real-crops.ts)
// --real-province W (weight of those crops' province character in the loss: they are 96 % 皖, and
// W = 0 keeps the province learnt from the synthetic plates alone).
// Every 100 steps it validates and writes a checkpoint to --out, so a stopped run leaves usable weights.
import type * as tfType from '@tensorflow/tfjs';
import { parseArgs } from 'node:util';
import path from 'node:path';
import { decodePlate } from './decode';
import { ASSETS_DIR } from './fonts';
import { PLATE_COLORS, VOCAB } from './grammar';
import { oneHotBatch } from './labels';
import { buildModel, cropsToTensor, crossEntropy, SLOTS } from './model';
import { fileModelHandler } from './model-io';
import { BatchStream, makeBatch } from './batches';
import { Rng } from './rng';
import { INPUT_H, INPUT_W } from './synth';
import { initTf } from './tf-backend';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '800' },
    batch: { type: 'string', default: '32' },
    seed: { type: 'string', default: '20261129' },
    lr: { type: 'string', default: '2e-3' },
    init: { type: 'string' },
    until: { type: 'string' },
    out: { type: 'string', default: path.join(ASSETS_DIR, 'plates-model') },
    'real-share': { type: 'string', default: '0' },
    'real-province': { type: 'string', default: '1' },
  },
});
const steps = Number(values.steps);
const batch = Number(values.batch);
const seed = Number(values.seed);
const peakLr = Number(values.lr);
const until = Math.min(steps, Number(values.until ?? steps));
const realPerBatch = Math.round(batch * Number(values['real-share']));
const realProvinceWeight = Number(values['real-province']);
/** Linear warm-up: fresh Adam moments on trained weights would otherwise take a few wild steps. */
const warmup = Math.min(200, Math.round(steps / 20));
const VALIDATION_SEED = 777; // eval uses other seeds still (see eval.ts)

function bar(done: number, total: number, startedAt: number, extra: string): void {
  const width = 30;
  const filled = Math.round((done / total) * width);
  const elapsed = (Date.now() - startedAt) / 1000;
  const eta = done > 0 ? (elapsed / done) * (total - done) : 0;
  process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${elapsed.toFixed(0)}s eta ${eta.toFixed(0)}s ${extra}   `);
}

async function main(): Promise<void> {
  const tf = await initTf();
  const model = buildModel(tf, seed);
  if (values.init) {
    // Same architecture, weights from an earlier run: a second, gentler stage of training.
    const earlier = await tf.loadLayersModel(fileModelHandler(values.init));
    model.setWeights(earlier.getWeights());
    earlier.dispose();
  }
  const optimizer = tf.train.adam(peakLr);
  model.compile({ optimizer, loss: [crossEntropy(tf), crossEntropy(tf)] });
  const validation = await makeBatch(new Rng(VALIDATION_SEED), 256);
  const batches = new BatchStream({ seed, batch, realPerBatch });
  const startedAt = Date.now();
  let avgLoss = 0;

  const validate = () => {
    let exact = 0;
    let chars = 0;
    let total = 0;
    tf.tidy(() => {
      const [pc, pk] = model.predict(cropsToTensor(tf, validation.map((s) => s.rgb))) as tfType.Tensor[];
      const c = pc.dataSync();
      const k = pk.dataSync();
      const step = SLOTS * VOCAB.length;
      validation.forEach((s, i) => {
        const d = decodePlate(c.subarray(i * step, (i + 1) * step), k.subarray(i * PLATE_COLORS.length, (i + 1) * PLATE_COLORS.length));
        if (d.text === s.text) exact++;
        const truth = [...s.text];
        const got = [...d.text];
        truth.forEach((ch, j) => (chars += got[j] === ch ? 1 : 0));
        total += truth.length;
      });
    });
    return { exact: exact / validation.length, chars: chars / total };
  };

  let last = { exact: 0, chars: 0 };
  // Metadata travels with the weights (every checkpoint too) so a reader can refuse a model
  // built for other inputs.
  const save = async (step: number) => {
    model.setUserDefinedMetadata({ vocab: VOCAB, colors: PLATE_COLORS, inputW: INPUT_W, inputH: INPUT_H, seed, steps: step, schedule: steps, batch, peakLr, realPerBatch, realProvinceWeight, init: values.init ?? null, validation: last, trainedAt: new Date().toISOString() });
    await model.save(fileModelHandler(values.out!));
  };
  for (let step = 1; step <= until; step++) {
    // Linear warm-up, then cosine decay from the peak rate to 5e-5 at the end.
    const cosine = 5e-5 + (peakLr - 5e-5) * 0.5 * (1 + Math.cos((Math.PI * step) / steps));
    (optimizer as unknown as { learningRate: number }).learningRate = step < warmup ? (cosine * step) / warmup : cosine;
    const samples = await batches.next();
    const y = oneHotBatch(samples.map((s) => s.text), samples.map((s) => s.color));
    // The real crops come last in the batch; their province is slot 0 (all are 7-character plates).
    for (let b = batch - realPerBatch; b < batch; b++) {
      const province = y.chars.subarray(b * SLOTS * VOCAB.length, (b * SLOTS + 1) * VOCAB.length);
      for (let i = 0; i < province.length; i++) province[i] *= realProvinceWeight;
    }
    const x = cropsToTensor(tf, samples.map((s) => s.rgb));
    const yc = tf.tensor3d(y.chars, [batch, SLOTS, VOCAB.length]);
    const yk = tf.tensor2d(y.color, [batch, PLATE_COLORS.length]);
    const losses = (await model.trainOnBatch(x, [yc, yk])) as number[];
    tf.dispose([x, yc, yk]);
    avgLoss = step === 1 ? losses[0] : avgLoss * 0.98 + losses[0] * 0.02;
    if (step % 100 === 0 || step === until) {
      last = validate();
      await save(step);
      // One line per checkpoint survives in a log; the bar below overwrites itself.
      process.stderr.write(`\n${new Date().toISOString()} step ${step} loss ${avgLoss.toFixed(3)} val exact ${(last.exact * 100).toFixed(1)}% chars ${(last.chars * 100).toFixed(1)}%\n`);
    }
    bar(step, until, startedAt, `loss ${avgLoss.toFixed(3)} val exact ${(last.exact * 100).toFixed(1)}% chars ${(last.chars * 100).toFixed(1)}%`);
  }
  await batches.close();
  process.stderr.write('\n');
  console.log(JSON.stringify(last));
}

await main();
