// The worker side of BatchStream (batches.ts): one batch per 'next' message, in order.
import { parentPort, workerData } from 'node:worker_threads';
import { batchMaker, type BatchPlan } from './batches';
import { Rng } from './rng';

const plan = workerData as BatchPlan;
const make = await batchMaker(plan, new Rng(plan.seed));
// Messages are handled one at a time, so batches leave in the order the rng made them.
let queue = Promise.resolve();
parentPort!.on('message', () => {
  queue = queue.then(async () => parentPort!.postMessage(await make()));
});
