// BullMQ on Redis for the timers: `escalate` (the acknowledgement deadlines that fall in one
// 100 ms slot) and `notify` (send one outbox row). Jobs carry only a time or an id; the handlers
// read and lock the rows, so a job that runs twice, late or after a restart does the right thing
// once. Job ids are derived from the slot or row, so scheduling the same thing twice (effects +
// reconciler) adds one job.
import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import type { Log } from './effects';
import { deliverNotification } from './notifications';
import type { Notifier } from './notifier';
import type { IncidentService } from './service';

export const QUEUE_NAME = 'incidents';

/**
 * Escalation deadlines are grouped into slots of this many ms, one delayed job per slot, due at the
 * slot's end. At 100 alarms/s three escalations each fall due every second; a job per dispatch
 * cost BullMQ several Redis round trips each, fetched one after another, and on a busy machine
 * that — not PostgreSQL — made escalations seconds late. A slot's job escalates all its dispatches
 * in shared transactions; it adds at most one slot of lateness.
 */
export const ESCALATION_SLOT_MS = 100;
export const escalationSlot = (deadline: Date) => Math.ceil(deadline.getTime() / ESCALATION_SLOT_MS) * ESCALATION_SLOT_MS;
const slotJobId = (slot: number) => `esc-${slot}`;
export const escalationJobId = (deadline: Date) => slotJobId(escalationSlot(deadline));
export const notificationJobId = (id: string) => `ntf-${id}`;

/** BullMQ joins prefix and queue name with ':'; our Redis prefixes already end in one. */
export const bullPrefix = (redisPrefix: string) => redisPrefix.replace(/:+$/, '') || 'qly';

/** `until`: the slot's end (ms since the epoch); every pending dispatch due by then escalates. */
type JobData = { until: number } | { notificationId: string };
export interface Escalation {
  dispatchId: string;
  at: Date;
}

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
   * Adds the escalation slot jobs of these deadlines and the notification jobs in one Redis round
   * trip (`addBulk` is one MULTI); deadlines in one slot share its job.
   */
  async schedule(escalations: readonly Escalation[], notifications: readonly string[] = []): Promise<void> {
    const slots = [...new Set(escalations.map((e) => escalationSlot(e.at)))];
    if (!slots.length && !notifications.length) return;
    const now = Date.now();
    await this.queue.addBulk([
      ...slots.map((until) => ({
        name: 'escalate',
        data: { until },
        opts: { jobId: slotJobId(until), delay: Math.max(0, until - now), attempts: 20, backoff: { type: 'exponential', delay: 250 }, removeOnComplete: true, removeOnFail: 5000 },
      })),
      ...notifications.map((notificationId) => ({
        name: 'notify',
        data: { notificationId },
        opts: { jobId: notificationJobId(notificationId), attempts: 6, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true, removeOnFail: 5000 },
      })),
    ]);
  }

  startWorker(service: IncidentService, notifier: Notifier, concurrency = 8): void {
    // Slot jobs of one process take turns: each sweeps every due dispatch, so two at once would
    // only wait on each other's row locks.
    let sweeping: Promise<unknown> = Promise.resolve();
    const handle = async (job: Job<JobData>, token?: string) => {
      if ('notificationId' in job.data) return deliverNotification(service.db, notifier, job.data.notificationId);
      const until = new Date(job.data.until);
      const sweep = sweeping.then(() => service.escalateDue(until));
      sweeping = sweep.catch(() => {});
      const { escalated, notYetDue } = await sweep;
      if (notYetDue) {
        // PostgreSQL's clock is behind ours: look again shortly rather than fire early.
        await job.moveToDelayed(Date.now() + ESCALATION_SLOT_MS, token);
        throw new DelayedError();
      }
      if (escalated) this.log.info({ slot: until.toISOString(), escalated }, 'dispatches escalated');
      return escalated;
    };
    this.workerConnection = new Redis(this.redisUrl, { maxRetriesPerRequest: null });
    this.workerConnection.on('error', (err) => this.log.warn({ err: err.message }, 'incident worker redis error'));
    this.worker = new Worker<JobData>(QUEUE_NAME, handle, {
      connection: this.workerConnection,
      prefix: bullPrefix(this.prefix),
      concurrency,
      // A killed worker's active job returns to the queue after the lock lapses.
      lockDuration: 10_000,
      stalledInterval: 5_000,
      maxStalledCount: 10,
    });
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
    for (const jobId of new Set(dispatches.filter((x) => x.overdue).map((d) => escalationJobId(d.ack_deadline_at)))) {
      // A long-overdue dispatch whose slot job exhausted its attempts: give it another round.
      const job = await this.queue.getJob(jobId);
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
