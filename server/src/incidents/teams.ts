// Which team to send: available teams ranked idle-before-busy, then by straight-line distance on
// the district's local map (teams' x,y come from patrol phones' position reports).
import type { Pool, PoolClient } from 'pg';

export interface TeamSuggestion {
  id: string;
  name: string;
  kind: string;
  x: number;
  y: number;
  available: boolean;
  busy: boolean;
  /** Map units from the incident; null when the incident has no position. */
  distance: number | null;
  positionAt: string | null;
}

/**
 * Teams in dispatch order as SQL over the given placeholders: x, y (the incident; may be null),
 * onlyAvailable, and triedFor (an incident id whose already-dispatched teams are left out; may be
 * null). Shared by the operator's suggestions and by automatic dispatch, which picks the first
 * row inside its own statement.
 */
export function rankedTeamsSql(p: { x: string; y: string; onlyAvailable: string; triedFor: string }): string {
  return `SELECT t.id, t.name, t.kind, t.x, t.y, t.available, t.position_at,
            EXISTS (SELECT 1 FROM incidents i WHERE i.team_id = t.id AND i.status IN ('dispatched', 'acknowledged', 'on_scene')) AS busy,
            CASE WHEN ${p.x}::float8 IS NULL OR ${p.y}::float8 IS NULL THEN NULL ELSE sqrt(power(t.x - ${p.x}, 2) + power(t.y - ${p.y}, 2)) END AS distance
       FROM teams t
      WHERE (${p.onlyAvailable}::boolean IS FALSE OR t.available)
        AND (${p.triedFor}::uuid IS NULL OR NOT EXISTS (SELECT 1 FROM dispatches d WHERE d.incident_id = ${p.triedFor} AND d.team_id = t.id))
      ORDER BY t.available DESC, busy, distance NULLS LAST, t.name`;
}

export async function rankTeams(db: Pool | PoolClient, at: { x: number | null; y: number | null }): Promise<TeamSuggestion[]> {
  const { rows } = await db.query(rankedTeamsSql({ x: '$1', y: '$2', onlyAvailable: 'false', triedFor: 'NULL' }), [at.x, at.y]);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    x: r.x,
    y: r.y,
    available: r.available,
    busy: r.busy,
    distance: r.distance === null ? null : Math.round(r.distance * 10) / 10,
    positionAt: r.position_at ? r.position_at.toISOString() : null,
  }));
}

/** SQL for the nearest camera to the point in parameters `$x`, `$y` (null without a point), to show on the wall next to an alarm. */
export const nearestCameraSql = (x: string, y: string) =>
  `(SELECT id FROM cameras WHERE ${x}::float8 IS NOT NULL AND ${y}::float8 IS NOT NULL ORDER BY power(x - ${x}, 2) + power(y - ${y}, 2), name LIMIT 1)`;
