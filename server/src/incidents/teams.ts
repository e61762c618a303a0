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

export async function rankTeams(
  db: Pool | PoolClient,
  at: { x: number | null; y: number | null },
  opts: { exclude?: string[]; onlyAvailable?: boolean } = {},
): Promise<TeamSuggestion[]> {
  const { rows } = await db.query(
    `SELECT t.id, t.name, t.kind, t.x, t.y, t.available, t.position_at,
            EXISTS (SELECT 1 FROM incidents i WHERE i.team_id = t.id AND i.status IN ('dispatched', 'acknowledged', 'on_scene')) AS busy,
            CASE WHEN $1::float8 IS NULL OR $2::float8 IS NULL THEN NULL ELSE sqrt(power(t.x - $1, 2) + power(t.y - $2, 2)) END AS distance
       FROM teams t
      WHERE NOT (t.id = ANY($3::uuid[])) AND ($4::boolean IS FALSE OR t.available)
      ORDER BY t.available DESC, busy, distance NULLS LAST, t.name`,
    [at.x, at.y, opts.exclude ?? [], opts.onlyAvailable ?? false],
  );
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

/** The nearest camera to a point, to show on the wall next to an alarm. */
export async function nearestCamera(db: PoolClient, x: number, y: number): Promise<string | null> {
  const { rows } = await db.query('SELECT id FROM cameras ORDER BY power(x - $1, 2) + power(y - $2, 2), name LIMIT 1', [x, y]);
  return rows[0]?.id ?? null;
}
