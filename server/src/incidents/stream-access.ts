// Which live camera a patrol member may watch: the camera of an incident assigned to their team
// while the team is working on it (dispatched, acknowledged, on scene). Registered with the stream
// guard (`app.parents`), so the token request and every media request ask this again; a change
// that takes an incident away from a team (resolve, close, cancel, re-dispatch) re-checks playing
// views at once, and the guard's sweep catches changes made by other processes.
import type { Pool } from 'pg';
import type { Decision, RoleDecider } from '../parents/access';
import { parseStreamId } from '../streams/stream-ids';
import type { Status } from './state';

/** Statuses in which the assigned team may watch the incident's camera. */
export const TEAM_WATCH_STATUSES: readonly Status[] = ['dispatched', 'acknowledged', 'on_scene'];

const DENIED: Decision = { ok: false, reason: 'not_assigned' };

export function patrolStreamAccess(db: Pool): RoleDecider {
  return async (userId, streamId) => {
    const parsed = parseStreamId(streamId);
    // Phones play the sub stream (lower bit rate over mobile data); the main stream is for the wall.
    if (parsed?.profile !== 'sub') return DENIED;
    const { rows } = await db.query<{ id: string; number: string }>(
      `SELECT i.id, i.number FROM incidents i JOIN users u ON u.team_id = i.team_id
        WHERE u.id = $1 AND i.camera_id = $2 AND i.status = ANY($3)
        ORDER BY i.created_at DESC LIMIT 1`,
      [userId, parsed.cameraId, TEAM_WATCH_STATUSES],
    );
    if (!rows[0]) return DENIED;
    return { ok: true, until: null, grantId: null, classroomId: null, details: { incidentId: rows[0].id, incidentNumber: String(rows[0].number) } };
  };
}

/** True when a change to an incident may end a team's right to watch its camera. */
export function endsTeamWatch(from: { status: string; teamId: string | null }, to: { status: string; teamId: string | null }): boolean {
  if (!from.teamId || !TEAM_WATCH_STATUSES.includes(from.status as Status)) return false;
  return to.teamId !== from.teamId || !TEAM_WATCH_STATUSES.includes(to.status as Status);
}
