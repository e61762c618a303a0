// May this person watch this stream right now, and until when? Staff may watch any stream;
// a parent only a camera of a classroom their child is enrolled in, with a valid, unrevoked
// grant, during the classroom's opening hours; other roles only what a decider registered for
// them allows (incidents register one for patrol: the camera of an open incident of their team).
// Decisions are cached for a few seconds (and never past the moment they stop being true)
// because every media part asks.
import type { Pool } from 'pg';
import type { Role } from '../lib/roles';
import { parseStreamId } from '../streams/stream-ids';
import { localDate, openingState, zonedTime, type Schedule, type ScheduleException, type WeeklySlot } from './schedule';

export type DenyReason = 'no_grant' | 'revoked' | 'grant_expired' | 'closed' | 'role' | 'not_assigned' | 'not_your_site';

export type Decision =
  | { ok: true; until: Date | null; grantId: string | null; classroomId: string | null; details?: Record<string, string> }
  | { ok: false; reason: DenyReason };

/** Decides for one role; `details` of an allowed decision go into the view's audit entry. */
export type RoleDecider = (userId: string, streamId: string, now: Date) => Promise<Decision>;

const STAFF_ROLES: readonly Role[] = ['admin', 'operator'];
const CACHE_MS = 5000;
export async function loadSchedules(db: Pool, classroomIds: string[]): Promise<Map<string, Omit<Schedule, 'timezone'>>> {
  const out = new Map<string, Omit<Schedule, 'timezone'>>(classroomIds.map((id) => [id, { weekly: [], exceptions: [] }]));
  if (!classroomIds.length) return out;
  const [weekly, exceptions] = await Promise.all([
    db.query<WeeklySlot & { classroom_id: string }>(
      `SELECT classroom_id, weekday, opens::text AS opens, closes::text AS closes FROM classroom_schedules WHERE classroom_id = ANY($1) ORDER BY weekday, opens`,
      [classroomIds],
    ),
    db.query<ScheduleException & { classroom_id: string }>(
      `SELECT classroom_id, day::text AS day, closed, opens::text AS opens, closes::text AS closes, note FROM schedule_exceptions WHERE classroom_id = ANY($1) ORDER BY day`,
      [classroomIds],
    ),
  ]);
  for (const { classroom_id, ...slot } of weekly.rows) out.get(classroom_id)!.weekly.push(slot);
  for (const { classroom_id, ...e } of exceptions.rows) out.get(classroom_id)!.exceptions.push(e);
  return out;
}

interface GrantRow {
  grant_id: string;
  revoked: boolean;
  valid_from: string;
  valid_to: string;
  classroom_id: string;
  timezone: string;
}

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

export class StreamAccess {
  /** Keyed `role|user|stream`, so one role's decisions can be dropped without touching the others'. */
  private readonly cache = new Map<string, { decision: Decision; cachedAt: number }>();
  private readonly deciders = new Map<Role, RoleDecider>();

  constructor(private readonly db: Pool) {
    this.deciders.set('parent', (userId, streamId, now) => this.decideParent(userId, streamId, now));
  }

  /** Lets another part of the server decide which streams a role may watch. */
  allowRole(role: Role, decider: RoleDecider): void {
    if (STAFF_ROLES.includes(role) || this.deciders.has(role)) throw new Error(`stream access for ${role} is already decided`);
    this.deciders.set(role, decider);
  }

  /** Forget cached decisions (a grant, schedule or camera link changed) — every role's, or one role's. */
  invalidate(role?: Role): void {
    if (!role) return this.cache.clear();
    for (const key of this.cache.keys()) if (key.startsWith(`${role}|`)) this.cache.delete(key);
  }

  async decide(user: { id: string; role: Role }, streamId: string, now: Date): Promise<Decision> {
    if (STAFF_ROLES.includes(user.role)) return { ok: true, until: null, grantId: null, classroomId: null };
    const decider = this.deciders.get(user.role);
    if (!decider) return { ok: false, reason: 'role' };
    const key = `${user.role}|${user.id}|${streamId}`;
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.cachedAt < CACHE_MS && (!hit.decision.ok || !hit.decision.until || now < hit.decision.until)) return hit.decision;
    const decision = await decider(user.id, streamId, now);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { decision, cachedAt: Date.now() });
    return decision;
  }

  private async decideParent(userId: string, streamId: string, now: Date): Promise<Decision> {
    // A parent's streams are classroom cameras (`<cameraId>.main|sub`); anything else is not theirs.
    const cameraId = parseStreamId(streamId)?.cameraId;
    if (!cameraId) return { ok: false, reason: 'no_grant' };
    // The grant's dates are bounded by the enrolment's: both must cover today.
    const { rows } = await this.db.query<GrantRow>(
      `SELECT g.id AS grant_id, g.revoked_at IS NOT NULL AS revoked,
              greatest(g.valid_from, e.valid_from)::text AS valid_from, least(g.valid_to, e.valid_to)::text AS valid_to,
              c.id AS classroom_id, s.timezone
         FROM parent_grants g
         JOIN enrolments e ON e.id = g.enrolment_id
         JOIN classrooms c ON c.id = e.classroom_id
         JOIN sites s ON s.id = c.site_id
         JOIN classroom_cameras cc ON cc.classroom_id = c.id AND cc.camera_id = $2
        WHERE g.parent_user_id = $1`,
      [userId, cameraId],
    );
    if (!rows.length) return { ok: false, reason: 'no_grant' };
    const live = rows.filter((r) => !r.revoked);
    if (!live.length) return { ok: false, reason: 'revoked' };
    const current = live.filter((r) => {
      const today = localDate(now, r.timezone);
      return r.valid_from <= today && today <= r.valid_to;
    });
    if (!current.length) return { ok: false, reason: 'grant_expired' };
    const schedules = await loadSchedules(this.db, [...new Set(current.map((r) => r.classroom_id))]);
    for (const r of current) {
      const state = openingState({ timezone: r.timezone, ...schedules.get(r.classroom_id)! }, now);
      if (!state.open) continue;
      const grantEnds = zonedTime(nextDay(r.valid_to), '00:00', r.timezone);
      const until = state.current!.closes < grantEnds ? state.current!.closes : grantEnds;
      return { ok: true, until, grantId: r.grant_id, classroomId: r.classroom_id };
    }
    return { ok: false, reason: 'closed' };
  }
}
