// Which live camera estate staff may watch: the camera of a gate of their own site (either
// profile: the gate desk plays main, a phone may play sub). Registered with the stream guard
// (`app.parents`), so the token request and every media request ask this again; a camera taken
// off the gate stops playing within the guard's cache time (seconds).
import type { Pool } from 'pg';
import type { Decision, RoleDecider } from '../parents/access';
import { parseStreamId } from '../streams/stream-ids';

const DENIED: Decision = { ok: false, reason: 'not_your_site' };

export function estateStreamAccess(db: Pool): RoleDecider {
  return async (userId, streamId) => {
    const cameraId = parseStreamId(streamId)?.cameraId;
    if (!cameraId) return DENIED;
    const { rows } = await db.query<{ id: string; name: string }>(
      `SELECT g.id, g.name FROM gates g JOIN users u ON u.site_id = g.site_id
        WHERE u.id = $1 AND u.role = 'estate' AND g.camera_id = $2 ORDER BY g.name LIMIT 1`,
      [userId, cameraId],
    );
    if (!rows[0]) return DENIED;
    return { ok: true, until: null, grantId: null, classroomId: null, details: { gateId: rows[0].id, gateName: rows[0].name } };
  };
}
