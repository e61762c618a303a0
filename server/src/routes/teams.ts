import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { registerCrud } from '../lib/crud';
import { Coord, Name, Uuid } from '../lib/schemas';

const Kind = Type.Union(['city_management', 'community_patrol', 'estate_security'].map((k) => Type.Literal(k)));
const TeamBody = Type.Object(
  { name: Name, siteId: Type.Optional(Type.Union([Uuid, Type.Null()])), kind: Kind, x: Type.Optional(Coord), y: Type.Optional(Coord), available: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
const TeamOut = Type.Object({
  id: Type.String(),
  name: Type.String(),
  siteId: Type.Union([Type.String(), Type.Null()]),
  kind: Type.String(),
  x: Type.Number(),
  y: Type.Number(),
  available: Type.Boolean(),
});

export default async function teamRoutes(app: FastifyInstance) {
  registerCrud(app, {
    path: '/api/teams',
    table: 'teams',
    entity: 'team',
    read: ['admin', 'operator'],
    write: ['admin'],
    columns: { name: 'name', siteId: 'site_id', kind: 'kind', x: 'x', y: 'y', available: 'available' },
    create: TeamBody,
    out: TeamOut,
    searchColumns: ['name'],
    filters: { siteId: { column: 'site_id', schema: Uuid }, kind: { column: 'kind', schema: Kind } },
    toApi: (r) => ({ id: r.id, name: r.name, siteId: r.site_id, kind: r.kind, x: r.x, y: r.y, available: r.available }),
  });
}
