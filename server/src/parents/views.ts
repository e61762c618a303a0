// The view log (stream_views): one row per playback, opened when the first token is issued,
// kept alive by media requests, ended by the viewer, by idleness, or by the access sweep.
import type { Pool, PoolClient } from 'pg';
import type { Role } from '../lib/roles';

export type EndReason = 'stopped' | 'idle' | 'closed' | 'grant_expired' | 'revoked' | 'session_ended';

export interface ViewRecord {
  id: string;
  userId: string;
  role: Role;
  sessionId: string;
  streamId: string;
  grantId: string | null;
  ended: boolean;
}

export interface NewView {
  userId: string;
  role: Role;
  sessionId: string;
  streamId: string;
  grantId: string | null;
  classroomId: string | null;
  ip: string;
  userAgent: string;
}

const CACHE_MS = 2000;
const TOUCH_EVERY_MS = 5000;

export class ViewLog {
  private readonly cache = new Map<string, { view: ViewRecord | null; at: number }>();
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly db: Pool,
    private readonly now: () => Date,
  ) {}

  /** Open views of a user that are still alive (a request within the lease). */
  async countOpen(client: Pool | PoolClient, userId: string, leaseSeconds: number): Promise<number> {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM stream_views WHERE user_id = $1 AND ended_at IS NULL AND last_seen_at > $2`,
      [userId, new Date(this.now().getTime() - leaseSeconds * 1000)],
    );
    return rows[0].n;
  }

  async open(client: Pool | PoolClient, v: NewView): Promise<string> {
    const now = this.now();
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO stream_views (user_id, user_role, session_id, grant_id, classroom_id, stream_id, started_at, last_seen_at, ip, user_agent)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9) RETURNING id`,
      [v.userId, v.role, v.sessionId, v.grantId, v.classroomId, v.streamId, now, v.ip, v.userAgent.slice(0, 300)],
    );
    return rows[0].id;
  }

  async get(viewId: string): Promise<ViewRecord | null> {
    const hit = this.cache.get(viewId);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.view;
    const { rows } = await this.db.query(
      `SELECT id, user_id, user_role, session_id, stream_id, grant_id, ended_at IS NOT NULL AS ended FROM stream_views WHERE id = $1`,
      [viewId],
    );
    const r = rows[0];
    const view: ViewRecord | null = r
      ? { id: r.id, userId: r.user_id, role: r.user_role, sessionId: r.session_id, streamId: r.stream_id, grantId: r.grant_id, ended: r.ended }
      : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(viewId, { view, at: Date.now() });
    return view;
  }

  /** A media request of this view arrived; written at most every few seconds. */
  async touch(viewId: string): Promise<void> {
    const last = this.touched.get(viewId) ?? 0;
    if (Date.now() - last < TOUCH_EVERY_MS) return;
    this.touched.set(viewId, Date.now());
    await this.db.query(`UPDATE stream_views SET last_seen_at = greatest(last_seen_at, $2) WHERE id = $1 AND ended_at IS NULL`, [viewId, this.now()]);
  }

  /** Ends a view; false when it had already ended. */
  async end(viewId: string, reason: EndReason, at: Date = this.now()): Promise<boolean> {
    const { rowCount } = await this.db.query(`UPDATE stream_views SET ended_at = greatest(started_at, $3), end_reason = $2 WHERE id = $1 AND ended_at IS NULL`, [
      viewId,
      reason,
      at,
    ]);
    this.cache.delete(viewId);
    this.touched.delete(viewId);
    return rowCount === 1;
  }

  /** Every view that has not ended, with whether its session still exists. */
  async listOpen(): Promise<(ViewRecord & { lastSeenAt: Date; sessionAlive: boolean })[]> {
    const { rows } = await this.db.query(
      `SELECT v.id, v.user_id, v.user_role, v.session_id, v.stream_id, v.grant_id, v.last_seen_at,
              (s.id IS NOT NULL AND s.expires_at > now()) AS session_alive
         FROM stream_views v LEFT JOIN sessions s ON s.id = v.session_id
        WHERE v.ended_at IS NULL AND v.user_id IS NOT NULL`,
    );
    return rows.map((r) => ({
      id: r.id,
      userId: r.user_id,
      role: r.user_role,
      sessionId: r.session_id,
      streamId: r.stream_id,
      grantId: r.grant_id,
      ended: false,
      lastSeenAt: r.last_seen_at,
      sessionAlive: r.session_alive,
    }));
  }

  /** Deletes views that ended before the cutoff; returns how many. */
  async purge(before: Date): Promise<number> {
    const { rowCount } = await this.db.query(`DELETE FROM stream_views WHERE ended_at < $1`, [before]);
    return rowCount ?? 0;
  }
}
