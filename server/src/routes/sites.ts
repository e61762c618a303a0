import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { siteScope } from '../gates/site-scope';
import { registerCrud } from '../lib/crud';
import { badRequest } from '../lib/http-error';
import { GATE_STAFF } from '../lib/roles';
import { Coord, Name, SafeText } from '../lib/schemas';
import { PROVINCES } from '../../../analytics/src/plates/grammar';

const Kind = Type.Union(['street', 'estate', 'school', 'district'].map((k) => Type.Literal(k)));
// IANA zone names only (Asia/Shanghai); opening hours of classrooms are computed in it.
const TimeZone = Type.String({ pattern: '^[A-Za-z]+(/[A-Za-z0-9_+-]+){0,2}$', maxLength: 64 });

/** The site's local province for the plate reader (本地省份), or null for none. */
// A pattern, not a union of 31 literals: a bad value's message then names the allowed characters.
const PlateProvince = Type.Union([Type.String({ pattern: `^[${PROVINCES}]$` }), Type.Null()]);

const TIME_ZONES = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);

const SiteBody = Type.Object(
  { name: Name, kind: Kind, address: Type.Optional(SafeText(200)), timezone: Type.Optional(TimeZone), x: Type.Optional(Coord), y: Type.Optional(Coord), plateProvince: Type.Optional(PlateProvince) },
  { additionalProperties: false },
);
const SiteOut = Type.Object({ id: Type.String(), name: Type.String(), kind: Type.String(), address: Type.String(), timezone: Type.String(), x: Type.Number(), y: Type.Number(), plateProvince: Type.Union([Type.String(), Type.Null()]) });

export default async function siteRoutes(app: FastifyInstance) {
  registerCrud(app, {
    path: '/api/sites',
    table: 'sites',
    entity: 'site',
    // Estate staff see their own site only (the gate registries' site pickers).
    read: GATE_STAFF,
    write: ['admin'],
    scope: { of: siteScope, row: 'id = $N' },
    columns: { name: 'name', kind: 'kind', address: 'address', timezone: 'timezone', x: 'x', y: 'y', plateProvince: 'plate_province' },
    create: SiteBody,
    out: SiteOut,
    searchColumns: ['name', 'address'],
    filters: { kind: { column: 'kind', schema: Kind } },
    beforeWrite: (b) => {
      if (typeof b.timezone === 'string' && !TIME_ZONES.has(b.timezone)) {
        throw badRequest(`body/timezone "${b.timezone}" is not a known time zone`, 'validation');
      }
      return b;
    },
    toApi: (r) => ({ id: r.id, name: r.name, kind: r.kind, address: r.address, timezone: r.timezone, x: r.x, y: r.y, plateProvince: r.plate_province ?? null }),
  });
}
