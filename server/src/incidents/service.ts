// Incidents: creation from any source, dispatch, status changes and escalation. Every change is
// one PostgreSQL transaction that locks the incident row first (then its dispatch), writes the
// append-only log, and only then — after COMMIT — pushes live events and schedules jobs.
import type { Pool, PoolClient } from 'pg';
import { badRequest, conflict, forbidden, notFound } from '../lib/http-error';
import { isForeignKeyViolation } from '../lib/sql';
import type { LiveAudience } from '../live/hub';
import type { Actor } from './actor';
import { SYSTEM } from './actor';
import { Effects, type EffectSink, type Log } from './effects';
import { toIncident, type Incident, type IncidentRow } from './model';
import { MAX_DISPATCH_ATTEMPTS, planFor, type PlanOverrides } from './plans';
import { nextStatus, PATROL_ACTIONS, STATUS_TIME_COLUMN, type Action } from './state';
import { endsTeamWatch } from './stream-access';
import { nearestCamera, rankTeams } from './teams';
import { withTx } from './tx';

export interface NewIncident {
  type: string;
  source: 'alarm' | 'analytics' | 'operator';
  title?: string;
  description?: string;
  priority?: number;
  dedupKey?: string | null;
  siteId?: string | null;
  cameraId?: string | null;
  deviceId?: string | null;
  eventId?: string | null;
  x?: number | null;
  y?: number | null;
  location?: string;
  occurredAt?: Date | null;
  snapshotPath?: string | null;
}

export type EscalationOutcome = { kind: 'noop'; reason: string } | { kind: 'early'; deadline: Date } | { kind: 'escalated'; nextDispatchId: string | null };

export interface IncidentDeps {
  db: Pool;
  log: Log;
  sink: EffectSink;
  overrides?: PlanOverrides;
}

/** Operators (and admins) see everything; a patrol member's team sees its own incidents. */
export const audienceFor = (teamId: string | null): LiveAudience => ({ roles: ['admin', 'operator'], teamIds: teamId ? [teamId] : [] });

const STAFF = new Set(['admin', 'operator']);

async function logEvent(
  c: PoolClient,
  incidentId: string,
  actor: Actor,
  action: string,
  from: string | null,
  to: string | null,
  data: Record<string, unknown> = {},
): Promise<void> {
  await c.query(
    `INSERT INTO incident_events (incident_id, actor_user_id, actor_kind, action, from_status, to_status, data, address)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [incidentId, actor.userId, actor.kind === 'user' ? (actor.role ?? 'user') : actor.kind, action, from, to, { ...data, ...(actor.deviceId ? { deviceId: actor.deviceId } : {}) }, actor.address],
  );
}

async function lockIncident(c: PoolClient, id: string): Promise<IncidentRow> {
  const { rows } = await c.query('SELECT * FROM incidents WHERE id = $1 FOR UPDATE', [id]);
  if (!rows[0]) throw notFound('Incident');
  return rows[0];
}

/** A patrol member acts only on their own team's incidents. */
export function assertVisible(row: IncidentRow, actor: Actor): void {
  if (actor.role === 'patrol' && (!actor.teamId || row.team_id !== actor.teamId)) throw forbidden('This incident is not assigned to your team');
}

export class IncidentService {
  constructor(private readonly deps: IncidentDeps) {}

  get db(): Pool {
    return this.deps.db;
  }

  private async run<T>(fn: (c: PoolClient, fx: Effects) => Promise<T>): Promise<T> {
    const fx = new Effects();
    const result = await withTx(this.deps.db, (c) => fn(c, fx));
    await fx.flush(this.deps.sink, this.deps.log);
    return result;
  }

  private announce(fx: Effects, topic: string, row: IncidentRow, extra: Record<string, unknown> = {}): Incident {
    const incident = toIncident(row);
    fx.publish(topic, { incident, ...extra }, audienceFor(row.team_id));
    return incident;
  }

  /** Creates an incident, or merges a duplicate (same dedup key) into the existing one. */
  async create(input: NewIncident, actor: Actor): Promise<{ incident: Incident; created: boolean }> {
    return this.run(async (c, fx) => {
      const plan = planFor(input.type, this.deps.overrides);
      let { x = null, y = null, siteId = null, cameraId = null, location = '' } = input;
      if (cameraId) {
        const cam = (await c.query('SELECT x, y, site_id, location, name FROM cameras WHERE id = $1', [cameraId])).rows[0];
        if (!cam) throw badRequest('Unknown camera', 'validation');
        x ??= cam.x;
        y ??= cam.y;
        siteId ??= cam.site_id;
        location ||= cam.location || cam.name;
      }
      if (input.deviceId && (x === null || y === null)) {
        const dev = (await c.query('SELECT d.x, d.y, d.location, d.site_id, s.x AS sx, s.y AS sy FROM devices d LEFT JOIN sites s ON s.id = d.site_id WHERE d.id = $1', [input.deviceId])).rows[0];
        x ??= dev?.x ?? dev?.sx ?? null;
        y ??= dev?.y ?? dev?.sy ?? null;
        siteId ??= dev?.site_id ?? null;
        location ||= dev?.location ?? '';
      }
      if (siteId && (x === null || y === null)) {
        const site = (await c.query('SELECT x, y, address FROM sites WHERE id = $1', [siteId])).rows[0];
        if (!site) throw badRequest('Unknown site', 'validation');
        x ??= site.x;
        y ??= site.y;
        location ||= site.address;
      }
      if (!cameraId && x !== null && y !== null) cameraId = await nearestCamera(c, x, y);

      const { rows } = await c
        .query(
          `INSERT INTO incidents (type, priority, title, description, source, dedup_key, site_id, camera_id, device_id, event_id, x, y, location, occurred_at, snapshot_path, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
           ON CONFLICT (dedup_key) DO UPDATE SET duplicates = incidents.duplicates + 1, updated_at = now()
           RETURNING *, (xmax = 0) AS inserted`,
          [
            input.type,
            input.priority ?? plan.priority,
            input.title || plan.title,
            input.description ?? '',
            input.source,
            input.dedupKey ?? null,
            siteId,
            cameraId,
            input.deviceId ?? null,
            input.eventId ?? null,
            x,
            y,
            location,
            input.occurredAt ?? null,
            input.snapshotPath ?? null,
            actor.userId,
          ],
        )
        .catch((err) => {
          if (isForeignKeyViolation(err)) throw badRequest('A referenced site, camera or device does not exist', 'validation');
          throw err;
        });
      let row = rows[0];
      if (!row.inserted) {
        await logEvent(c, row.id, actor, 'duplicate_merged', null, null, { dedupKey: input.dedupKey, duplicates: row.duplicates });
        return { incident: toIncident(row), created: false };
      }
      await logEvent(c, row.id, actor, 'created', null, 'new', { source: input.source, type: input.type, dedupKey: input.dedupKey ?? null });
      if (plan.notifyContacts && input.deviceId) {
        const body = `【千里眼】${location || '住户'}发出${plan.title}（事件 #${row.number}），已通知巡逻队，请尽快联系或前往。`;
        const sent = await c.query(
          `INSERT INTO notifications (incident_id, recipient_name, recipient_phone, body)
           SELECT $1, name, phone, $2 FROM device_contacts WHERE device_id = $3 ORDER BY position
           ON CONFLICT DO NOTHING RETURNING id`,
          [row.id, body, input.deviceId],
        );
        for (const n of sent.rows) fx.notify(n.id);
        if (sent.rows.length) await logEvent(c, row.id, SYSTEM, 'contacts_notified', null, null, { count: sent.rows.length });
      }
      fx.publish('incident.created', { incident: toIncident(row) }, audienceFor(null));
      if (plan.autoDispatch) {
        const team = (await rankTeams(c, { x, y }, { onlyAvailable: true }))[0];
        if (team) row = await this.dispatchLocked(c, fx, row, team, SYSTEM, true);
      }
      return { incident: toIncident(row), created: true };
    });
  }

  async dispatch(incidentId: string, teamId: string, actor: Actor): Promise<Incident> {
    return this.run(async (c, fx) => {
      const row = await lockIncident(c, incidentId);
      const team = (await c.query('SELECT id, name FROM teams WHERE id = $1', [teamId])).rows[0];
      if (!team) throw badRequest('Unknown team', 'validation');
      return toIncident(await this.dispatchLocked(c, fx, row, team, actor, false));
    });
  }

  private async dispatchLocked(c: PoolClient, fx: Effects, row: IncidentRow, team: { id: string; name: string }, actor: Actor, auto: boolean): Promise<IncidentRow> {
    if (!nextStatus(row.status, 'dispatch')) throw conflict(`Cannot dispatch an incident that is ${row.status}`);
    const teamId = team.id;
    // A new incident has no dispatch yet; a re-dispatch replaces the pending one.
    if (row.status !== 'new') await c.query(`UPDATE dispatches SET status = 'cancelled' WHERE incident_id = $1 AND status = 'pending'`, [row.id]);
    const plan = planFor(row.type, this.deps.overrides);
    const d = (
      await c.query(
        `INSERT INTO dispatches (incident_id, team_id, attempt, dispatched_by, ack_deadline_at)
         VALUES ($1, $2, (SELECT coalesce(max(attempt), 0) + 1 FROM dispatches WHERE incident_id = $1), $3, now() + $4 * interval '1 second')
         RETURNING *`,
        [row.id, teamId, actor.userId, plan.ackSeconds],
      )
    ).rows[0];
    const updated = (
      await c.query(
        `UPDATE incidents SET status = 'dispatched', team_id = $2, dispatched_at = coalesce(dispatched_at, now()), updated_at = now()
          WHERE id = $1 RETURNING *`,
        [row.id, teamId],
      )
    ).rows[0];
    await logEvent(c, row.id, actor, 'dispatched', row.status, 'dispatched', { teamId, teamName: team.name, dispatchId: d.id, attempt: d.attempt, auto });
    fx.escalateAt(d.id, d.ack_deadline_at);
    if (row.team_id && row.team_id !== teamId) fx.publish('incident.withdrawn', { incidentId: row.id }, { teamIds: [row.team_id] });
    fx.streamAccessChanged(endsTeamWatch({ status: row.status, teamId: row.team_id }, { status: updated.status, teamId }));
    this.announce(fx, 'incident.dispatched', updated, { dispatch: { id: d.id, teamId, teamName: team.name, attempt: d.attempt, ackDeadlineAt: d.ack_deadline_at.toISOString() } });
    return updated;
  }

  async transition(incidentId: string, action: Action, actor: Actor, note = ''): Promise<Incident> {
    return this.run(async (c, fx) => {
      const row = await lockIncident(c, incidentId);
      if (!STAFF.has(actor.role ?? '')) {
        assertVisible(row, actor);
        if (!PATROL_ACTIONS.includes(action)) throw forbidden(`Only operators may ${action} an incident`);
      }
      const to = nextStatus(row.status, action);
      if (!to) throw conflict(`Cannot ${action} an incident that is ${row.status}`);
      const stamp = STATUS_TIME_COLUMN[to];
      const updated = (await c.query(`UPDATE incidents SET status = $2, ${stamp ? `${stamp} = now(), ` : ''}updated_at = now() WHERE id = $1 RETURNING *`, [row.id, to])).rows[0];
      if (action === 'acknowledge') {
        await c.query(`UPDATE dispatches SET status = 'acknowledged', acknowledged_at = now() WHERE incident_id = $1 AND status = 'pending'`, [row.id]);
      } else if (action === 'cancel') {
        await c.query(`UPDATE dispatches SET status = 'cancelled' WHERE incident_id = $1 AND status = 'pending'`, [row.id]);
      }
      await logEvent(c, row.id, actor, action, row.status, to, note ? { note } : {});
      if (endsTeamWatch({ status: row.status, teamId: row.team_id }, { status: to, teamId: row.team_id })) fx.streamAccessChanged(true);
      return this.announce(fx, 'incident.updated', updated);
    });
  }

  /**
   * Runs when a dispatch's acknowledgement deadline passes. Safe to run any number of times: the
   * dispatch row is locked and only a still-pending, overdue dispatch escalates; the unique index
   * on the 'escalated' log entry makes a second firing impossible even under a logic error.
   */
  async escalate(dispatchId: string): Promise<EscalationOutcome> {
    return this.run(async (c, fx) => {
      const ref = (await c.query('SELECT incident_id FROM dispatches WHERE id = $1', [dispatchId])).rows[0];
      if (!ref) return { kind: 'noop', reason: 'unknown dispatch' } as const;
      const row = await lockIncident(c, ref.incident_id);
      const d = (await c.query('SELECT *, ack_deadline_at > now() AS early FROM dispatches WHERE id = $1 FOR UPDATE', [dispatchId])).rows[0];
      if (d.status !== 'pending') return { kind: 'noop', reason: `dispatch ${d.status}` } as const;
      if (d.early) return { kind: 'early', deadline: d.ack_deadline_at } as const;
      await c.query(`UPDATE dispatches SET status = 'escalated', escalated_at = now() WHERE id = $1`, [dispatchId]);
      const lateMs = (await c.query('SELECT extract(epoch FROM now() - $1::timestamptz) * 1000 AS ms', [d.ack_deadline_at])).rows[0].ms;
      await logEvent(c, row.id, SYSTEM, 'escalated', row.status, row.status, { dispatchId, teamId: d.team_id, attempt: d.attempt, lateMs: Math.round(lateMs) });
      const tried = (await c.query('SELECT DISTINCT team_id FROM dispatches WHERE incident_id = $1', [row.id])).rows.map((r) => r.team_id);
      const next = d.attempt < MAX_DISPATCH_ATTEMPTS ? (await rankTeams(c, { x: row.x, y: row.y }, { exclude: tried, onlyAvailable: true }))[0] : undefined;
      let current = row;
      if (next) current = await this.dispatchLocked(c, fx, row, next, SYSTEM, true);
      fx.publish(
        'incident.escalated',
        { incident: toIncident(current), fromTeamId: d.team_id, toTeamId: next?.id ?? null, attempt: d.attempt, message: next ? null : 'no other team available' },
        { roles: ['admin', 'operator'] },
      );
      return { kind: 'escalated', nextDispatchId: next ? ((await c.query(`SELECT id FROM dispatches WHERE incident_id = $1 AND status = 'pending'`, [row.id])).rows[0]?.id ?? null) : null } as const;
    });
  }
}
