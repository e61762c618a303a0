// BullMQ on Redis for the timers: `escalate` (a dispatch's acknowledgement deadline) and `notify`
// (send one outbox row). Jobs carry only an id; the handlers read and lock the row, so a job that
// runs twice, late or after a restart does the right thing once. Job ids are derived from the row
// id, so scheduling the same thing twice (effects + reconciler) adds one job.
import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { Batcher } from '../gates/batcher';
import type { Log } from './effects';
import { deliverNotification } from './notifications';
import type { Notifier } from './notifier';
import type { EscalationOutcome, IncidentService } from './service';

export const QUEUE_NAME = 'incidents';
export const escalationJobId = (dispatchId: string) => `esc-${dispatchId}`;
export const notificationJobId = (id: string) => `ntf-${id}`;

/** BullMQ joins prefix and queue name with ':'; our Redis prefixes already end in one. */
export const bullPrefix = (redisPrefix: string) => redisPrefix.replace(/:+$/, '') || 'qly';

type JobData = { dispatchId: string } | { notificationId: string };
export interface Escalation {
  dispatchId: string;
  at: Date;
}

/**
 * Jobs in flight at once in one worker. Escalations that are due together (an alarm storm brings
 * hundreds a second) are escalated in shared transactions, so the worker needs many jobs active to
 * form batches; a job waits on PostgreSQL, not on this process's CPU.
 */
export const DEFAULT_WORKER_CONCURRENCY = 64;

export class IncidentJobs {
  private readonly queueConnection: Redis;
  readonly queue: Queue<JobData>;
  private worker: Worker<JobData> | null = null;
  private workerConnection: Redis | null = null;
  private reconcileTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly redisUrl: string,
    private readonly prefix: string,
    private readonly log: Log,
  ) {
    this.queueConnection = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
    this.queueConnection.on('error', (err) => log.warn({ err: err.message }, 'incident queue redis error'));
    this.queue = new Queue<JobData>(QUEUE_NAME, { connection: this.queueConnection, prefix: bullPrefix(prefix) });
  }

  /**
   * Adds the escalation jobs (due at each dispatch's deadline) and notification jobs in one Redis
   * round trip (`addBulk` is one MULTI): a batch of escalations schedules its next dispatches
   * together.
   */
  async schedule(escalations: readonly Escalation[], notifications: readonly string[] = []): Promise<void> {
    if (!escalations.length && !notifications.length) return;
    const now = Date.now();
    await this.queue.addBulk([
      ...escalations.map(({ dispatchId, at }) => ({
        name: 'escalate',
        data: { dispatchId },
        opts: { jobId: escalationJobId(dispatchId), delay: Math.max(0, at.getTime() - now), attempts: 20, backoff: { type: 'exponential', delay: 250 }, removeOnComplete: true, removeOnFail: 5000 },
      })),
      ...notifications.map((notificationId) => ({
        name: 'notify',
        data: { notificationId },
        opts: { jobId: notificationJobId(notificationId), attempts: 6, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true, removeOnFail: 5000 },
      })),
    ]);
  }

  startWorker(service: IncidentService, notifier: Notifier, concurrency = DEFAULT_WORKER_CONCURRENCY): void {
    // Jobs that become active while a batch is in the database wait for the next one, which takes
    // them all (at most two batches in flight, so a batch's locks do not hold up every job).
    const escalations = new Batcher<string, EscalationOutcome>((ids) => service.escalateMany(ids), 2, concurrency);
    this.workerConnection = new Redis(this.redisUrl, { maxRetriesPerRequest: null });
    this.workerConnection.on('error', (err) => this.log.warn({ err: err.message }, 'incident worker redis error'));
    this.worker = new Worker<JobData>(
      QUEUE_NAME,
      async (job: Job<JobData>, token?: string) => {
        if ('notificationId' in job.data) return deliverNotification(service.db, notifier, job.data.notificationId);
        const outcome = await escalations.submit(job.data.dispatchId);
        if (outcome.kind === 'early') {
          // The deadline moved (or clocks disagree): wait again rather than fire early.
          await job.moveToDelayed(outcome.deadline.getTime(), token);
          throw new DelayedError();
        }
        if (outcome.kind === 'escalated') this.log.info({ dispatchId: job.data.dispatchId, next: outcome.nextDispatchId }, 'dispatch escalated');
        return outcome.kind;
      },
      {
        connection: this.workerConnection,
        prefix: bullPrefix(this.prefix),
        concurrency,
        // A killed worker's active job returns to the queue after the lock lapses.
        lockDuration: 10_000,
        stalledInterval: 5_000,
        maxStalledCount: 10,
      },
    );
    this.worker.on('failed', (job, err) => this.log.warn({ jobId: job?.id, err: err.message }, 'incident job failed'));
    this.worker.on('error', (err) => this.log.warn({ err: err.message }, 'incident worker error'));
  }

  /**
   * PostgreSQL is the truth: every pending dispatch gets its escalation job and every pending
   * notification its send job. At start-up (`all`) that repairs jobs lost to a crash between COMMIT
   * and `queue.add`. The periodic run repairs only what is late — dispatches past their deadline,
   * notifications older than 30 s — i.e. jobs a Redis that lost data no longer has: re-adding every
   * pending dispatch (hundreds under an alarm storm) every 30 s would cost a Redis call each,
   * in the middle of the storm.
   */
  async reconcile(db: Pool, scope: 'all' | 'late' = 'all'): Promise<{ escalations: number; notifications: number; retried: number }> {
    const late = scope === 'late';
    const dispatches = (await db.query<{ id: string; ack_deadline_at: Date; overdue: boolean }>(
      `SELECT id, ack_deadline_at, ack_deadline_at < now() - interval '15 seconds' AS overdue FROM dispatches
        WHERE status = 'pending' AND ($1::boolean IS FALSE OR ack_deadline_at < now() - interval '5 seconds')`,
      [late],
    )).rows;
    const notifications = (await db.query<{ id: string }>(
      `SELECT id FROM notifications WHERE status = 'pending' AND ($1::boolean IS FALSE OR created_at < now() - interval '30 seconds')`,
      [late],
    )).rows;
    let retried = 0;
    for (const d of dispatches.filter((x) => x.overdue)) {
      // A long-overdue dispatch whose job exhausted its attempts: give it another round.
      const job = await this.queue.getJob(escalationJobId(d.id));
      if (job && (await job.isFailed())) {
        await job.retry();
        retried++;
      }
    }
    await this.schedule(
      dispatches.map((d) => ({ dispatchId: d.id, at: d.ack_deadline_at })),
      notifications.map((n) => n.id),
    );
    return { escalations: dispatches.length, notifications: notifications.length, retried };
  }

  startReconciler(db: Pool, everyMs: number): void {
    this.reconcileTimer = setInterval(() => {
      this.reconcile(db, 'late').catch((err) => this.log.warn({ err: err.message }, 'incident reconcile failed'));
    }, everyMs);
    this.reconcileTimer.unref();
  }

  async close(): Promise<void> {
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    await this.worker?.close();
    await this.queue.close();
    await Promise.all([this.queueConnection.quit().catch(() => {}), this.workerConnection?.quit().catch(() => {})]);
  }
}
