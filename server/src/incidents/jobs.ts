// BullMQ on Redis for the timers: `escalate` (a dispatch's acknowledgement deadline) and `notify`
// (send one outbox row). Jobs carry only an id; the handlers read and lock the row, so a job that
// runs twice, late or after a restart does the right thing once. Job ids are derived from the row
// id, so scheduling the same thing twice (effects + reconciler) adds one job.
import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import type { Log } from './effects';
import { deliverNotification } from './notifications';
import type { Notifier } from './notifier';
import type { IncidentService } from './service';

export const QUEUE_NAME = 'incidents';
export const escalationJobId = (dispatchId: string) => `esc-${dispatchId}`;
export const notificationJobId = (id: string) => `ntf-${id}`;

/** BullMQ joins prefix and queue name with ':'; our Redis prefixes already end in one. */
export const bullPrefix = (redisPrefix: string) => redisPrefix.replace(/:+$/, '') || 'qly';

type JobData = { dispatchId: string } | { notificationId: string };

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

  async scheduleEscalation(dispatchId: string, at: Date): Promise<void> {
    await this.queue.add('escalate', { dispatchId }, {
      jobId: escalationJobId(dispatchId),
      delay: Math.max(0, at.getTime() - Date.now()),
      attempts: 20,
      backoff: { type: 'exponential', delay: 250 },
      removeOnComplete: true,
      removeOnFail: 5000,
    });
  }

  async sendNotification(notificationId: string): Promise<void> {
    await this.queue.add('notify', { notificationId }, {
      jobId: notificationJobId(notificationId),
      attempts: 6,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: true,
      removeOnFail: 5000,
    });
  }

  startWorker(service: IncidentService, notifier: Notifier, concurrency = 8): void {
    this.workerConnection = new Redis(this.redisUrl, { maxRetriesPerRequest: null });
    this.workerConnection.on('error', (err) => this.log.warn({ err: err.message }, 'incident worker redis error'));
    this.worker = new Worker<JobData>(
      QUEUE_NAME,
      async (job: Job<JobData>, token?: string) => {
        if ('notificationId' in job.data) return deliverNotification(service.db, notifier, job.data.notificationId);
        const outcome = await service.escalate(job.data.dispatchId);
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
    await Promise.all([...dispatches.map((d) => this.scheduleEscalation(d.id, d.ack_deadline_at)), ...notifications.map((n) => this.sendNotification(n.id))]);
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
