// Read side: lists, one incident with its timeline, and the SLA report.
import type { Pool } from 'pg';
import { paginate, type PageResult } from '../lib/sql';
import type { Actor } from './actor';
import { toIncident, type Incident } from './model';
import { SLA_TARGETS } from './plans';
import { OPEN_STATUSES } from './state';

export interface ListFilters {
  page?: number;
  pageSize?: number;
  q?: string;
  status?: string;
  open?: boolean;
  type?: string;
  priority?: number;
  teamId?: string;
  source?: string;
}

export async function listIncidents(db: Pool, f: ListFilters, viewer: Actor): Promise<PageResult<Incident>> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replaceAll('?', `$${params.length}`));
  };
  // A patrol member's list is their team's, whatever filter they send.
  if (viewer.role === 'patrol') add('team_id = ?', viewer.teamId ?? '00000000-0000-0000-0000-000000000000');
  else if (f.teamId) add('team_id = ?', f.teamId);
  if (f.q) add("(title ILIKE ? OR location ILIKE ? OR '#' || number ILIKE ?)", `%${f.q}%`);
  if (f.status) add('status = ?', f.status);
  if (f.open) add('status = ANY(?)', OPEN_STATUSES);
  if (f.type) add('type = ?', f.type);
  if (f.priority) add('priority = ?', f.priority);
  if (f.source) add('source = ?', f.source);
  const now = new Date();
  return paginate(db, { from: 'incidents', where, params, orderBy: 'priority, created_at DESC, id', page: f.page, pageSize: f.pageSize ?? 50, map: (r) => toIncident(r, now) });
}

export async function incidentDetail(db: Pool, id: string) {
  const [timeline, dispatches, photos] = await Promise.all([
    db.query(
      `SELECT e.*, u.display_name FROM incident_events e LEFT JOIN users u ON u.id = e.actor_user_id WHERE e.incident_id = $1 ORDER BY e.id`,
      [id],
    ),
    db.query(`SELECT d.*, t.name AS team_name FROM dispatches d JOIN teams t ON t.id = d.team_id WHERE d.incident_id = $1 ORDER BY d.attempt`, [id]),
    db.query(`SELECT * FROM incident_photos WHERE incident_id = $1 ORDER BY created_at`, [id]),
  ]);
  return {
    timeline: timeline.rows.map((e) => ({
      id: Number(e.id),
      at: e.at.toISOString(),
      actorKind: e.actor_kind,
      actorUserId: e.actor_user_id,
      actorName: e.display_name,
      action: e.action,
      fromStatus: e.from_status,
      toStatus: e.to_status,
      data: e.data,
      address: e.address,
    })),
    dispatches: dispatches.rows.map((d) => ({
      id: d.id,
      teamId: d.team_id,
      teamName: d.team_name,
      attempt: d.attempt,
      status: d.status,
      dispatchedAt: d.dispatched_at.toISOString(),
      ackDeadlineAt: d.ack_deadline_at.toISOString(),
      acknowledgedAt: d.acknowledged_at?.toISOString() ?? null,
      escalatedAt: d.escalated_at?.toISOString() ?? null,
    })),
    photos: photos.rows.map((p) => ({ id: p.id, kind: p.kind, mime: p.mime, bytes: p.bytes, createdAt: p.created_at.toISOString(), url: `/api/incidents/${id}/photos/${p.id}` })),
  };
}

/** Counts and SLA attainment per type over a period (created_at in [from, to)). */
export async function slaReport(db: Pool, from: Date, to: Date) {
  const { rows } = await db.query(
    `SELECT type, priority, count(*)::int AS total,
            count(*) FILTER (WHERE status IN ('new', 'dispatched', 'acknowledged', 'on_scene'))::int AS open,
            count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled,
            avg(extract(epoch FROM acknowledged_at - created_at)) AS avg_ack,
            avg(extract(epoch FROM on_scene_at - created_at)) AS avg_scene,
            avg(extract(epoch FROM resolved_at - created_at)) AS avg_resolve,
            percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM acknowledged_at - created_at)) AS p90_ack,
            array_agg(extract(epoch FROM acknowledged_at - created_at)) FILTER (WHERE acknowledged_at IS NOT NULL) AS acks,
            array_agg(extract(epoch FROM on_scene_at - created_at)) FILTER (WHERE on_scene_at IS NOT NULL) AS scenes,
            array_agg(extract(epoch FROM resolved_at - created_at)) FILTER (WHERE resolved_at IS NOT NULL) AS resolves
       FROM incidents WHERE created_at >= $1 AND created_at < $2
      GROUP BY type, priority ORDER BY priority, type`,
    [from, to],
  );
  const round = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);
  const within = (values: number[] | null, target: number) => (values?.length ? Math.round((values.filter((v) => v <= target).length / values.length) * 1000) / 10 : null);
  return rows.map((r) => {
    const t = SLA_TARGETS[r.priority] ?? SLA_TARGETS[3];
    return {
      type: r.type,
      priority: r.priority,
      total: r.total,
      open: r.open,
      cancelled: r.cancelled,
      avgAckSeconds: round(r.avg_ack),
      p90AckSeconds: round(r.p90_ack),
      avgSceneSeconds: round(r.avg_scene),
      avgResolveSeconds: round(r.avg_resolve),
      ackWithinSlaPct: within(r.acks?.map(Number) ?? null, t.ack),
      sceneWithinSlaPct: within(r.scenes?.map(Number) ?? null, t.scene),
      resolveWithinSlaPct: within(r.resolves?.map(Number) ?? null, t.resolve),
    };
  });
}
