// Side effects of a committed transaction. They are collected while the transaction runs and
// carried out only after COMMIT, so nothing is pushed or scheduled for a change that rolled back.
// Losing one (a crash right after COMMIT) is repaired by the reconciler, which re-schedules from
// the tables; live pushes are hints — clients reload state when they reconnect.
import type { FastifyBaseLogger } from 'fastify';
import type { LiveAudience } from '../live/hub';

export type Log = Pick<FastifyBaseLogger, 'info' | 'warn' | 'error' | 'debug'>;

export interface EffectSink {
  publish(topic: string, data: unknown, audience?: LiveAudience): Promise<void>;
  /** Schedules escalation jobs (at each dispatch's deadline) and notification sends, all in one call. */
  schedule(escalations: { dispatchId: string; at: Date }[], notifications: string[]): Promise<void>;
  /** A team got (`ended` false) or may have lost the right to watch an incident's camera; only the API server plays streams. */
  streamAccessChanged?(ended: boolean): Promise<void>;
}

export class Effects {
  private readonly live: [string, unknown, LiveAudience | undefined][] = [];
  private readonly escalations: { dispatchId: string; at: Date }[] = [];
  private readonly notifications: string[] = [];
  private accessChanged: 'no' | 'began' | 'ended' = 'no';

  publish(topic: string, data: unknown, audience?: LiveAudience): void {
    this.live.push([topic, data, audience]);
  }
  escalateAt(dispatchId: string, at: Date): void {
    this.escalations.push({ dispatchId, at });
  }
  notify(notificationId: string): void {
    this.notifications.push(notificationId);
  }
  streamAccessChanged(ended: boolean): void {
    if (ended) this.accessChanged = 'ended';
    else if (this.accessChanged === 'no') this.accessChanged = 'began';
  }

  async flush(sink: EffectSink, log: Log): Promise<void> {
    const jobs = [
      ...(this.escalations.length || this.notifications.length ? [sink.schedule(this.escalations, this.notifications)] : []),
      ...this.live.map(([topic, data, audience]) => sink.publish(topic, data, audience)),
      ...(this.accessChanged !== 'no' && sink.streamAccessChanged ? [sink.streamAccessChanged(this.accessChanged === 'ended')] : []),
    ];
    for (const r of await Promise.allSettled(jobs)) {
      if (r.status === 'rejected') log.warn({ err: r.reason }, 'incident side effect failed; the reconciler will retry scheduling');
    }
  }
}
