// Incidents: creation from any source, dispatch, status changes and escalation. Every change is
// one PostgreSQL transaction that locks the incident row first (then its dispatch), writes the
// append-only log, and only then — after COMMIT — pushes live events and schedules jobs.
// Alarm intake and escalation are the hot paths (100 alarms/s, three escalations each): a write
// and its log entry go in one statement (data-modifying CTEs), because on a busy machine each
// round trip to PostgreSQL — not the SQL itself — is what costs.
import type { Pool, PoolClient } from 'pg';
import { badRequest, conflict, forbidden, notFound } from '../lib/http-error';
import { isForeignKeyViolation } from '../lib/sql';
import type { LiveAudience } from '../live/hub';
import type { Actor } from './actor';
import { SYSTEM } from './actor';
import { AlarmRejected } from './alarms';
import { Effects, type EffectSink, type Log } from './effects';
import { toIncident, type Incident, type IncidentRow } from './model';
import { MAX_DISPATCH_ATTEMPTS, planFor, type PlanOverrides } from './plans';
import { nextStatus, PATROL_ACTIONS, STATUS_TIME_COLUMN, type Action } from './state';
import { endsTeamWatch } from './stream-access';
import { nearestCameraSql, rankedTeamsSql } from './teams';
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

/** The actor's columns of an incident_events row: user, kind, address, and the data with the device. */
function actorColumns(actor: Actor, data: Record<string, unknown>) {
  return {
    userId: actor.userId,
    kind: actor.kind === 'user' ? (actor.role ?? 'user') : actor.kind,
    address: actor.address,
    data: { ...data, ...(actor.deviceId ? { deviceId: actor.deviceId } : {}) },
  };
}

async function logEvent(
  c: PoolClient,
  incidentId: string,
  actor: Actor,
  action: string,
  from: string | null,
  to: string | null,
  data: Record<string, unknown> = {},
): Promise<void> {
  const a = actorColumns(actor, data);
  await c.query(
    `INSERT INTO incident_events (incident_id, actor_user_id, actor_kind, action, from_status, to_status, data, address)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [incidentId, a.userId, a.kind, action, from, to, a.data, a.address],
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
      const cameraId = input.cameraId ?? null;
      let { x = null, y = null, siteId = null, location = '' } = input;
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
      // The incident (with the nearest camera when none was given) and its first log entry —
      // `created`, or `duplicate_merged` for a repeat of the dedup key — in one statement. An
      // alarm is stored only if its device is a registered, unrevoked alarm terminal (checked
      // here, in the same round trip, rather than by a query of its own).
      const a = actorColumns(actor, {});
      const { rows } = await c
        .query({
          name: 'incident-create',
          text: `WITH ins AS (
             INSERT INTO incidents (type, priority, title, description, source, dedup_key, site_id, camera_id, device_id, event_id, x, y, location, occurred_at, snapshot_path, created_by)
             SELECT $1, $2, $3, $4, $5, $6, $7, coalesce($8::uuid, ${nearestCameraSql('$11', '$12')}), $9, $10, $11, $12, $13, $14, $15, $16
              WHERE $5 <> 'alarm' OR EXISTS (SELECT 1 FROM devices WHERE id = $9 AND kind = 'alarm' AND revoked_at IS NULL)
             ON CONFLICT (dedup_key) DO UPDATE SET duplicates = incidents.duplicates + 1, updated_at = now()
             RETURNING *, (xmax = 0) AS inserted
           ), ev AS (
             INSERT INTO incident_events (incident_id, actor_user_id, actor_kind, action, from_status, to_status, data, address)
             SELECT id, $16, $17, CASE WHEN inserted THEN 'created' ELSE 'duplicate_merged' END, NULL, CASE WHEN inserted THEN 'new' END,
                    CASE WHEN inserted THEN $18::jsonb ELSE $19::jsonb || jsonb_build_object('duplicates', duplicates) END, $20
               FROM ins
           )
           SELECT * FROM ins`,
          values: [
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
            a.kind,
            { ...a.data, source: input.source, type: input.type, dedupKey: input.dedupKey ?? null },
            { ...a.data, dedupKey: input.dedupKey },
            a.address,
          ],
        })
        .catch((err) => {
          if (isForeignKeyViolation(err)) throw badRequest('A referenced site, camera or device does not exist', 'validation');
          throw err;
        });
      let row = rows[0];
      if (!row) throw new AlarmRejected('unknown_device', 'unknown or revoked alarm device');
      if (!row.inserted) return { incident: toIncident(row), created: false };
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
        row = (await this.dispatchLocked(c, fx, row, 'nearest', SYSTEM, true)) ?? row;
      }
      return { incident: toIncident(row), created: true };
    });
  }

  async dispatch(incidentId: string, teamId: string, actor: Actor): Promise<Incident> {
    return this.run(async (c, fx) => {
      const row = await lockIncident(c, incidentId);
      return toIncident((await this.dispatchLocked(c, fx, row, { id: teamId }, actor, false))!);
    });
  }

  /**
   * Dispatches a locked incident to a team, or to the best available team not yet tried for it
   * (`'nearest'`; null when there is none). One statement picks the team, adds the dispatch,
   * moves the incident and logs it. `pendingSettled`: the caller has already closed the pending
   * dispatch (escalation marks it escalated), so there is none to cancel.
   */
  private async dispatchLocked(
    c: PoolClient,
    fx: Effects,
    row: IncidentRow,
    team: { id: string } | 'nearest',
    actor: Actor,
    auto: boolean,
    pendingSettled = false,
  ): Promise<(IncidentRow & { dispatch_id: string }) | null> {
    if (!nextStatus(row.status, 'dispatch')) throw conflict(`Cannot dispatch an incident that is ${row.status}`);
    // A new incident has no dispatch yet; a re-dispatch replaces the pending one. (Not a CTE of the
    // statement below: the one-pending-dispatch index would see the new row before the old one's update.)
    if (row.status !== 'new' && !pendingSettled) await c.query(`UPDATE dispatches SET status = 'cancelled' WHERE incident_id = $1 AND status = 'pending'`, [row.id]);
    const plan = planFor(row.type, this.deps.overrides);
    const a = actorColumns(actor, { auto });
    const pick =
      team === 'nearest'
        ? `${rankedTeamsSql({ x: '$8::float8', y: '$9::float8', onlyAvailable: 'true', triedFor: '$1' })} LIMIT 1`
        : 'SELECT id, name FROM teams WHERE id = $8::uuid';
    // Prepared (named) statements: PostgreSQL parses and plans these hot statements once per connection.
    const { rows } = await c.query({
      name: team === 'nearest' ? 'incident-dispatch-nearest' : 'incident-dispatch-team',
      text: `WITH t AS (${pick}), d AS (
         INSERT INTO dispatches (incident_id, team_id, attempt, dispatched_by, ack_deadline_at)
         SELECT $1, t.id, (SELECT coalesce(max(attempt), 0) + 1 FROM dispatches WHERE incident_id = $1), $2, now() + $3 * interval '1 second' FROM t
         RETURNING id, team_id, attempt, ack_deadline_at
       ), i AS (
         UPDATE incidents SET status = 'dispatched', team_id = d.team_id, dispatched_at = coalesce(dispatched_at, now()), updated_at = now()
           FROM d WHERE incidents.id = $1 RETURNING incidents.*
       ), ev AS (
         INSERT INTO incident_events (incident_id, actor_user_id, actor_kind, action, from_status, to_status, data, address)
         SELECT $1, $2, $4, 'dispatched', $5, 'dispatched', $6::jsonb || jsonb_build_object('teamId', t.id, 'teamName', t.name, 'dispatchId', d.id, 'attempt', d.attempt), $7 FROM d, t
       )
       SELECT i.*, d.id AS dispatch_id, d.attempt AS dispatch_attempt, d.ack_deadline_at AS dispatch_deadline, t.name AS dispatch_team_name FROM i, d, t`,
      values: [row.id, actor.userId, plan.ackSeconds, a.kind, row.status, a.data, a.address, ...(team === 'nearest' ? [row.x, row.y] : [team.id])],
    });
    const updated = rows[0];
    if (!updated) {
      if (team === 'nearest') return null;
      throw badRequest('Unknown team', 'validation');
    }
    const teamId: string = updated.team_id;
    const d = { id: updated.dispatch_id as string, attempt: updated.dispatch_attempt as number, ackDeadlineAt: updated.dispatch_deadline as Date };
    fx.escalateAt(d.id, d.ackDeadlineAt);
    if (row.team_id && row.team_id !== teamId) fx.publish('incident.withdrawn', { incidentId: row.id }, { teamIds: [row.team_id] });
    fx.streamAccessChanged(endsTeamWatch({ status: row.status, teamId: row.team_id }, { status: updated.status, teamId }));
    this.announce(fx, 'incident.dispatched', updated, { dispatch: { id: d.id, teamId, teamName: updated.dispatch_team_name, attempt: d.attempt, ackDeadlineAt: d.ackDeadlineAt.toISOString() } });
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
    const [outcome] = await this.escalateMany([dispatchId]);
    if (outcome instanceof Error) throw outcome;
    return outcome;
  }

  /**
   * Escalates many due dispatches in one transaction (a slot job's sweep): at 100 alarms/s three escalations each arrive every second, and per escalation a
   * transaction of its own cost four round trips — on a busy machine the system calls of those
   * round trips, not the SQL, were the time. Outcomes are in the order of `dispatchIds`. If the
   * batch fails (one incident in a state that cannot be re-dispatched, a deadlock with another
   * process), each dispatch is tried again in a transaction of its own, so one bad row fails only
   * its own job.
   */
  async escalateMany(dispatchIds: string[]): Promise<(EscalationOutcome | Error)[]> {
    try {
      return await this.run((c, fx) => this.escalateLocked(c, fx, dispatchIds));
    } catch (err) {
      if (dispatchIds.length === 1) return [err instanceof Error ? err : new Error(String(err))];
      this.deps.log.warn({ err, count: dispatchIds.length }, 'escalation batch failed; escalating one by one');
      return Promise.all(dispatchIds.map(async (id) => (await this.escalateMany([id]))[0]));
    }
  }

  /**
   * Escalates every pending dispatch whose deadline is at or before `until` and has passed (by
   * PostgreSQL's clock), oldest first: `parallel` transactions at once, each of up to `batch`
   * dispatches (their incidents differ — one pending dispatch per incident — so they never wait on
   * each other; re-dispatching costs a round trip per incident, which one transaction alone would
   * serialise; more than two at once starved the alarm intake of PostgreSQL at 200 alarms/s).
   * Returns how many escalated and how many up to `until` are not yet due (a clock
   * behind the caller's). Throws after the sweep if a dispatch could not be escalated, so its job
   * retries.
   */
  async escalateDue(until: Date, { batch = 50, parallel = 2 } = {}): Promise<{ escalated: number; notYetDue: number }> {
    let escalated = 0;
    let failure: Error | null = null;
    for (;;) {
      const { rows } = await this.deps.db.query<{ id: string }>({
        name: 'incident-due-dispatches',
        text: `SELECT id FROM dispatches WHERE status = 'pending' AND ack_deadline_at <= least($1::timestamptz, now()) ORDER BY ack_deadline_at LIMIT $2`,
        values: [until, batch * parallel],
      });
      // Dealt round-robin, so a small sweep is spread over the transactions too.
      const chunks: string[][] = [...Array(Math.min(parallel, rows.length))].map(() => []);
      rows.forEach((r, i) => chunks[i % chunks.length].push(r.id));
      const outcomes = (await Promise.all(chunks.map((ids) => this.escalateMany(ids)))).flat();
      const done = outcomes.filter((o) => !(o instanceof Error) && o.kind === 'escalated').length;
      failure = (outcomes.find((o) => o instanceof Error) as Error | undefined) ?? failure;
      escalated += done;
      // Stop when the window is empty, or a round changed nothing (what is left keeps failing).
      if (rows.length < batch * parallel || done === 0) break;
    }
    if (failure) throw failure;
    const notYetDue = (
      await this.deps.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM dispatches WHERE status = 'pending' AND ack_deadline_at <= $1 AND ack_deadline_at > now()`, [until])
    ).rows[0].n;
    return { escalated, notYetDue };
  }

  private async escalateLocked(c: PoolClient, fx: Effects, dispatchIds: string[]): Promise<EscalationOutcome[]> {
    // One statement: lock the incidents (found through their dispatches; incidents are locked
    // first, as by every change, and in id order, so concurrent batches cannot deadlock), escalate
    // only the dispatches that are still pending and overdue — the UPDATE's WHERE is the check —
    // and log each with how late it fired.
    const { rows } = await c.query({
      name: 'incident-escalate-many',
      text: `WITH inc AS (
         SELECT * FROM incidents WHERE id IN (SELECT incident_id FROM dispatches WHERE id = ANY($1::uuid[])) ORDER BY id FOR UPDATE
       ), e AS (
         UPDATE dispatches SET status = 'escalated', escalated_at = now()
          FROM inc
          WHERE dispatches.id = ANY($1::uuid[]) AND dispatches.incident_id = inc.id AND dispatches.status = 'pending' AND dispatches.ack_deadline_at <= now()
          RETURNING dispatches.id, dispatches.incident_id, dispatches.team_id, dispatches.attempt, dispatches.escalated_at, dispatches.ack_deadline_at
       ), ev AS (
         INSERT INTO incident_events (incident_id, actor_user_id, actor_kind, action, from_status, to_status, data, address)
         SELECT inc.id, NULL, 'system', 'escalated', inc.status, inc.status,
                jsonb_build_object('dispatchId', e.id::text, 'teamId', e.team_id, 'attempt', e.attempt, 'lateMs', round(extract(epoch FROM e.escalated_at - e.ack_deadline_at) * 1000)), NULL
           FROM e JOIN inc ON inc.id = e.incident_id
       )
       SELECT inc.*, e.id AS escalated_dispatch_id, e.team_id AS escalated_team_id, e.attempt AS escalated_attempt FROM e JOIN inc ON inc.id = e.incident_id`,
      values: [dispatchIds],
    });
    const escalated = new Map<string, IncidentRow & { escalated_team_id: string; escalated_attempt: number }>(rows.map((r) => [r.escalated_dispatch_id, r]));
    // Why the others did not escalate (a fresh look, after the locks): early, or already settled.
    const escalatedNow = new Set(escalated.keys());
    const others = dispatchIds.filter((id) => !escalatedNow.has(id));
    const why = others.length
      ? new Map(
          (await c.query('SELECT id, status, ack_deadline_at, ack_deadline_at > now() AS early FROM dispatches WHERE id = ANY($1::uuid[])', [others])).rows.map((r) => [r.id as string, r]),
        )
      : new Map();
    const outcomes: EscalationOutcome[] = [];
    for (const id of dispatchIds) {
      const row = escalated.get(id);
      // The same dispatch twice in a batch escalates (and re-dispatches) once.
      escalated.delete(id);
      if (!row && escalatedNow.has(id)) {
        outcomes.push({ kind: 'noop', reason: 'dispatch escalated' });
        continue;
      }
      if (!row) {
        const w = why.get(id);
        if (!w) outcomes.push({ kind: 'noop', reason: 'unknown dispatch' });
        else outcomes.push(w.status === 'pending' && w.early ? { kind: 'early', deadline: w.ack_deadline_at } : { kind: 'noop', reason: `dispatch ${w.status}` });
        continue;
      }
      const d = { team_id: row.escalated_team_id, attempt: row.escalated_attempt };
      const next = d.attempt < MAX_DISPATCH_ATTEMPTS ? await this.dispatchLocked(c, fx, row, 'nearest', SYSTEM, true, true) : null;
      const current = next ?? row;
      fx.publish(
        'incident.escalated',
        { incident: toIncident(current), fromTeamId: d.team_id, toTeamId: next?.team_id ?? null, attempt: d.attempt, message: next ? null : 'no other team available' },
        { roles: ['admin', 'operator'] },
      );
      outcomes.push({ kind: 'escalated', nextDispatchId: next?.dispatch_id ?? null });
    }
    return outcomes;
  }
}
