// Per-camera stall pipelines scheduled through BullMQ, so they can run on any machine with a
// worker. One long-running job per camera (job id `cam-<cameraId>`): the worker holding it runs
// the pipeline until the camera has no active zones (the job completes, decoding stops) or the
// worker goes away — then its lock lapses, BullMQ moves the job back to waiting and another
// worker takes the camera over. StallScheduler.sync() (re)creates jobs for the cameras that need
// one; a job that already exists is left alone.
import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { CameraPipeline, type PipelineDeps, type PipelineHealth } from './pipeline';

export const STALL_QUEUE = 'stalls';

export interface StallJobData {
  cameraId: string;
}

export interface StallQueueOptions {
  connection: ConnectionOptions;
  /** BullMQ key prefix (e.g. the app's Redis prefix without the trailing colon). */
  prefix?: string;
}

const jobId = (cameraId: string) => `cam-${cameraId}`;

export class StallScheduler {
  private readonly queue: Queue<StallJobData>;

  constructor(opts: StallQueueOptions) {
    this.queue = new Queue<StallJobData>(STALL_QUEUE, { connection: opts.connection, prefix: opts.prefix });
  }

  /** Makes sure each camera has a pipeline job (waiting or running). */
  async sync(cameraIds: string[]): Promise<void> {
    for (const cameraId of cameraIds) {
      // Same job id while one exists → BullMQ ignores the add; finished jobs are removed, so a
      // camera whose pipeline ended (no zones, failure) is scheduled again here.
      await this.queue.add('camera', { cameraId }, { jobId: jobId(cameraId), removeOnComplete: true, removeOnFail: true });
    }
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

export interface StallWorkerOptions extends StallQueueOptions {
  deps: PipelineDeps;
  /** Cameras one worker process analyses at once (≈ cameras per core from bench/stalls.ts). */
  concurrency?: number;
  /** A worker that dies holds its cameras at most this long before another takes them. */
  lockMs?: number;
  /** Where each pipeline's health is published for /api/health, refreshed every few seconds. */
  healthRedis?: Redis;
  healthKeyPrefix?: string;
}

export class StallWorker {
  private readonly worker: Worker<StallJobData>;
  private readonly pipelines = new Map<string, CameraPipeline>();
  private readonly healthTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: StallWorkerOptions) {
    const lockMs = opts.lockMs ?? 30_000;
    this.worker = new Worker<StallJobData>(STALL_QUEUE, (job, _token, signal) => this.process(job, signal), {
      connection: opts.connection,
      prefix: opts.prefix,
      concurrency: opts.concurrency ?? 8,
      lockDuration: lockMs,
      stalledInterval: Math.max(1000, lockMs / 2),
      // A pipeline job is long-lived: losing its worker is normal, not a reason to fail it.
      maxStalledCount: Number.MAX_SAFE_INTEGER,
    });
    this.worker.on('error', (err) => opts.deps.log?.('stalls worker error', err));
    if (opts.healthRedis) this.healthTimer = setInterval(() => void this.publishHealth(), 3000);
  }

  health(): PipelineHealth[] {
    return [...this.pipelines.values()].map((p) => p.health());
  }

  /** Stops every pipeline (their jobs complete; open events stay open for the next run) and the worker. */
  async close(): Promise<void> {
    if (this.healthTimer) clearInterval(this.healthTimer);
    this.worker.cancelAllJobs('worker closing');
    await this.worker.close();
  }

  private async process(job: Job<StallJobData>, signal?: AbortSignal): Promise<string> {
    const { cameraId } = job.data;
    const pipeline = new CameraPipeline(cameraId, this.opts.deps);
    this.pipelines.set(cameraId, pipeline);
    try {
      return await pipeline.run(signal ?? new AbortController().signal);
    } finally {
      this.pipelines.delete(cameraId);
      await this.opts.healthRedis?.hdel(healthKey(this.opts.healthKeyPrefix), cameraId).catch(() => undefined);
    }
  }

  private async publishHealth(): Promise<void> {
    const redis = this.opts.healthRedis as Redis;
    try {
      const at = Date.now();
      for (const h of this.health()) await redis.hset(healthKey(this.opts.healthKeyPrefix), h.cameraId, JSON.stringify({ ...h, at }));
    } catch (err) {
      this.opts.deps.log?.('stalls health publish failed', err);
    }
  }
}

// One hash for all cameras: works the same whether or not the client adds a key prefix itself.
const healthKey = (prefix = '') => `${prefix}stalls:health`;
/** Entries older than this belong to a worker that died without cleaning up. */
const HEALTH_MAX_AGE_MS = 15_000;

/** Every pipeline's last published health (any worker, any machine). */
export async function readStallHealth(redis: Redis, keyPrefix = ''): Promise<(PipelineHealth & { at: number })[]> {
  const all = await redis.hgetall(healthKey(keyPrefix));
  const now = Date.now();
  return Object.values(all)
    .map((v) => JSON.parse(v) as PipelineHealth & { at: number })
    .filter((h) => now - h.at <= HEALTH_MAX_AGE_MS);
}

/** For app.health.register('stalls', …): degraded while any camera's frames have stopped. */
export function summariseStallHealth(list: PipelineHealth[]): { status: 'ok' | 'degraded'; detail: unknown } {
  const stalled = list.filter((h) => h.state === 'stalled').map((h) => h.cameraId);
  return { status: stalled.length ? 'degraded' : 'ok', detail: { cameras: list.length, stalled, pipelines: list } };
}
