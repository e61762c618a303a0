// Sends one outbox row. The row is locked while sending and marked sent in the same
// transaction, so concurrent or repeated jobs send it once; a crash between the gateway's
// answer and COMMIT can resend, which is why the gateway receives our id as `ref`.
import type { Pool } from 'pg';
import type { Notifier } from './notifier';
import { withTx } from './tx';

const MAX_ATTEMPTS = 5;

export async function deliverNotification(db: Pool, notifier: Notifier, id: string): Promise<'sent' | 'skipped' | 'failed'> {
  const outcome = await withTx(db, async (c) => {
    const n = (await c.query('SELECT * FROM notifications WHERE id = $1 FOR UPDATE', [id])).rows[0];
    if (!n || n.status !== 'pending') return 'skipped' as const;
    try {
      const ref = await notifier.send({ notificationId: n.id, incidentId: n.incident_id, name: n.recipient_name, phone: n.recipient_phone, text: n.body });
      await c.query(`UPDATE notifications SET status = 'sent', sent_at = now(), attempts = attempts + 1, provider_ref = $2 WHERE id = $1`, [id, ref]);
      return 'sent' as const;
    } catch (err) {
      const giveUp = n.attempts + 1 >= MAX_ATTEMPTS;
      await c.query('UPDATE notifications SET attempts = attempts + 1, last_error = $2, status = $3 WHERE id = $1', [id, err instanceof Error ? err.message : String(err), giveUp ? 'failed' : 'pending']);
      return giveUp ? ('failed' as const) : ('retry' as const);
    }
  });
  // Thrown after COMMIT so the attempt is counted and the queue retries with backoff.
  if (outcome === 'retry') throw new Error(`notification ${id} not accepted; will retry`);
  return outcome;
}
