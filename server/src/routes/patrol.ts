// Patrol phones: position reports (the basis of "nearest team") and availability. Phones send GPS
// (latitude/longitude), converted onto the district map; map x,y is accepted too (manual entry, tests).
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { currentUser } from '../plugins/auth';
import { forbidden, HttpError } from '../lib/http-error';
import { MAX_DISTRICT_RADIUS_M, toLocalMap } from '../incidents/geo';
import { errorResponses } from '../lib/schemas';
import { AvailabilityBody, PositionBody } from '../incidents/schemas';

const tags = ['patrol'];
const TeamState = Type.Object({ id: Type.String(), name: Type.String(), x: Type.Number(), y: Type.Number(), available: Type.Boolean(), positionAt: Type.Union([Type.String(), Type.Null()]) });
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const toTeam = (r: any) => ({ id: r.id, name: r.name, x: r.x, y: r.y, available: r.available, positionAt: r.position_at?.toISOString() ?? null });

export default async function patrolRoutes(app: FastifyInstance) {
  const patrol = { access: ['patrol'] as const };
  const teamOf = (request: Parameters<typeof currentUser>[0]) => {
    const teamId = currentUser(request).teamId;
    if (!teamId) throw forbidden('Your account belongs to no team');
    return teamId;
  };
  const update = async (teamId: string, sql: string, params: unknown[]) => {
    const { rows } = await app.db.query(`UPDATE teams SET ${sql}, updated_at = now() WHERE id = $1 RETURNING *`, [teamId, ...params]);
    const team = toTeam(rows[0]);
    await app.live.publish('team.updated', team, { roles: ['admin', 'operator'], teamIds: [teamId] });
    return team;
  };

  app.get('/api/patrol/team', { config: patrol, schema: { tags, response: { 200: TeamState, ...errorResponses } } }, async (request) => {
    const { rows } = await app.db.query('SELECT * FROM teams WHERE id = $1', [teamOf(request)]);
    return toTeam(rows[0]);
  });

  app.post('/api/patrol/position', { config: patrol, schema: { tags, body: PositionBody, response: { 200: TeamState, 422: errorResponses[400], ...errorResponses } } }, async (request) => {
    const body = request.body as Static<typeof PositionBody>;
    const teamId = teamOf(request);
    const { x, y } = 'latitude' in body ? toLocalMap(app.incidentRuntime.settings.mapOrigin, body) : body;
    if (Math.hypot(x, y) > MAX_DISTRICT_RADIUS_M) throw new HttpError(422, 'out_of_area', 'This position is outside the district map');
    return update(teamId, 'x = $2, y = $3, position_at = now()', [x, y]);
  });

  app.post('/api/patrol/availability', { config: patrol, schema: { tags, body: AvailabilityBody, response: { 200: TeamState, ...errorResponses } } }, async (request) => {
    const { available } = request.body as Static<typeof AvailabilityBody>;
    const teamId = teamOf(request);
    const team = await update(teamId, 'available = $2', [available]);
    await app.audit.write(request, { action: 'team.availability', targetType: 'team', targetId: teamId, details: { available } });
    return team;
  });
}
