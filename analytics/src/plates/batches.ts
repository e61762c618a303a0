// Training batches, made on the machine's second core: rendering 32 synthetic crops costs ~60 ms,
// a third of a training step once the step's kernels were made fast (tf-backend.ts), and the wasm
// backend runs single-threaded in Node. A worker thread renders batch k+1 while the model trains on
// batch k. Same seed, same batches, in the same order as rendering them inline.
import { Worker } from 'node:worker_threads';
import { loadRealCrops, realSample, type RealCrop } from './real-crops';
import type { Rng } from './rng';
import { makeCropSample, type CropSample } from './synth';

/** `n` samples: `n - nReal` synthetic, then `nReal` real crops (the loss weights them by position). */
export async function makeBatch(rng: Rng, n: number, real: readonly RealCrop[] = [], nReal = 0): Promise<CropSample[]> {
  const out: CropSample[] = [];
  for (let i = 0; i < n - nReal; i++) out.push(await makeCropSample(rng));
  for (let i = 0; i < nReal; i++) out.push(realSample(rng.pick(real), rng));
  return out;
}

export interface BatchPlan {
  seed: number;
  batch: number;
  realPerBatch: number;
}

/** What the worker needs to make the batches: the plan, and the real crops when there are any. */
export async function batchMaker(plan: BatchPlan, rng: Rng): Promise<() => Promise<CropSample[]>> {
  const real = plan.realPerBatch > 0 ? await loadRealCrops() : [];
  return () => makeBatch(rng, plan.batch, real, plan.realPerBatch);
}

/**
 * Batches from a worker thread, one rendered ahead. The worker is TypeScript like the rest, so it
 * is started through tsx's loader (training always runs under tsx).
 */
export class BatchStream {
  private readonly worker: Worker;
  private readonly ready: CropSample[][] = [];
  private readonly waiting: { resolve: (b: CropSample[]) => void; reject: (err: unknown) => void }[] = [];
  private failed: unknown = null;

  constructor(plan: BatchPlan) {
    const api = import.meta.resolve('tsx/esm/api');
    const entry = new URL('./batch-worker.ts', import.meta.url).href;
    this.worker = new Worker(`import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`, { eval: true, workerData: plan });
    this.worker.on('message', (batch: CropSample[]) => {
      const waiter = this.waiting.shift();
      if (waiter) waiter.resolve(batch);
      else this.ready.push(batch);
    });
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => this.fail(new Error(`batch worker exited (code ${code})`)));
    this.worker.postMessage('next');
  }

  /** The next batch; asks the worker for the one after it at once. */
  next(): Promise<CropSample[]> {
    if (this.failed) return Promise.reject(this.failed);
    this.worker.postMessage('next');
    const batch = this.ready.shift();
    if (batch) return Promise.resolve(batch);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }

  private fail(err: unknown): void {
    this.failed ??= err;
    for (const w of this.waiting.splice(0)) w.reject(err);
  }
}
