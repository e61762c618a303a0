// Admin registries behind the gate rules: households, their vehicles, visitor passes and the
// watch list (list/get/create/patch/delete through registerCrud). Estate staff manage their own
// site's households, vehicles and passes (row-scoped); the watch list stays with the city staff.
// Plates are normalised and must pass the plate grammar, so the rules and the near-miss key
// always see canonical text.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { parsePlate, PLATE_COLORS } from '../../../analytics/src/plates/grammar';
import { registerCrud } from '../lib/crud';
import { badRequest } from '../lib/http-error';
import { GATE_STAFF, STAFF } from '../lib/roles';
import { Name, SafeText, Uuid } from '../lib/schemas';
import { VehicleClass } from './estate-rules';
import { assertBodyInSite, siteScope, VEHICLE_IN_SITE } from './site-scope';

const Plate = Type.String({ minLength: 7, maxLength: 16 });
const PlateType = Type.Union(PLATE_COLORS.map((c) => Type.Literal(c)));
const Phone = Type.String({ pattern: '^\\+?[0-9]{5,20}$' });
const Timestamp = Type.String({ format: 'date-time' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const iso = (d: Date | null) => d?.toISOString() ?? null;

/** Validates and normalises `plate` in a create/patch body. */
function canonicalPlate(body: Record<string, unknown>): Record<string, unknown> {
  if (body.plate === undefined) return body;
  const parsed = parsePlate(String(body.plate));
  if (!parsed) throw badRequest(`"${body.plate}" is not a valid mainland plate`, 'invalid_plate');
  return { ...body, plate: parsed.text };
}

const createdBy = (body: Record<string, unknown>, request: FastifyRequest) => ({
  ...canonicalPlate(body),
  createdBy: request.principal?.kind === 'user' ? request.principal.user.id : null,
});

/** Estate staff see and write only their own site's rows (server/src/gates/site-scope.ts). */
const SITE_ROWS = { of: siteScope, row: 'site_id = $N' };

export function registerGateRegistries(app: FastifyInstance): void {
  /** A scoped caller's body may only name its own site and households. */
  const inSite = async (body: Record<string, unknown>, request: FastifyRequest) => {
    await assertBodyInSite(app.db, siteScope(request), body);
    return body;
  };

  // Gates themselves: the gate page lists them; an admin names a gate's camera (continuous mode
  // picks the change up within one sync, ~10 s).
  registerCrud(app, {
    path: '/api/gates',
    table: 'gates',
    entity: 'gate',
    read: GATE_STAFF,
    write: ['admin'],
    columns: { siteId: 'site_id', name: 'name', cameraId: 'camera_id', direction: 'direction' },
    create: Type.Object(
      { siteId: Uuid, name: Name, cameraId: Type.Optional(Type.Union([Uuid, Type.Null()])), direction: Type.Optional(Type.Union([Type.Literal('in'), Type.Literal('out')])) },
      { additionalProperties: false },
    ),
    out: Type.Object({ id: Type.String(), siteId: Type.String(), name: Type.String(), cameraId: Nullable(Type.String()), direction: Type.String(), createdAt: Type.String() }),
    toApi: (r) => ({ id: r.id, siteId: r.site_id, name: r.name, cameraId: r.camera_id, direction: r.direction, createdAt: r.created_at.toISOString() }),
    searchColumns: ['name'],
    filters: { siteId: { column: 'site_id', schema: Uuid } },
    scope: SITE_ROWS,
  });

  registerCrud(app, {
    path: '/api/households',
    table: 'households',
    entity: 'household',
    read: GATE_STAFF,
    write: GATE_STAFF,
    columns: { siteId: 'site_id', unit: 'unit', headName: 'head_name', phone: 'phone', affordable: 'affordable' },
    create: Type.Object({ siteId: Uuid, unit: Name, headName: Name, phone: Type.Optional(Phone), affordable: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
    out: Type.Object({ id: Type.String(), siteId: Type.String(), unit: Type.String(), headName: Type.String(), phone: Nullable(Type.String()), affordable: Type.Boolean(), createdAt: Type.String() }),
    toApi: (r) => ({ id: r.id, siteId: r.site_id, unit: r.unit, headName: r.head_name, phone: r.phone, affordable: r.affordable, createdAt: r.created_at.toISOString() }),
    searchColumns: ['unit', 'head_name'],
    filters: { siteId: { column: 'site_id', schema: Uuid } },
    beforeWrite: inSite,
    scope: SITE_ROWS,
    orderBy: 'unit, id',
  });

  registerCrud(app, {
    path: '/api/vehicles',
    table: 'vehicles',
    entity: 'vehicle',
    read: GATE_STAFF,
    write: GATE_STAFF,
    columns: { householdId: 'household_id', plate: 'plate', plateType: 'plate_type', brand: 'brand', model: 'model', vehicleClass: 'vehicle_class', declaredValue: 'declared_value' },
    create: Type.Object(
      {
        householdId: Uuid,
        plate: Plate,
        plateType: PlateType,
        brand: Type.Optional(SafeText(60)),
        model: Type.Optional(SafeText(60)),
        vehicleClass: Type.Optional(VehicleClass),
        declaredValue: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000 })),
      },
      { additionalProperties: false },
    ),
    out: Type.Object({
      id: Type.String(),
      householdId: Type.String(),
      plate: Type.String(),
      plateType: Type.String(),
      brand: Type.String(),
      model: Type.String(),
      vehicleClass: Type.String(),
      declaredValue: Type.Integer(),
      createdAt: Type.String(),
    }),
    toApi: (r) => ({
      id: r.id,
      householdId: r.household_id,
      plate: r.plate,
      plateType: r.plate_type,
      brand: r.brand,
      model: r.model,
      vehicleClass: r.vehicle_class,
      declaredValue: r.declared_value,
      createdAt: r.created_at.toISOString(),
    }),
    searchColumns: ['plate', 'brand', 'model'],
    filters: { householdId: { column: 'household_id', schema: Uuid } },
    beforeWrite: async (body, request) => canonicalPlate(await inSite(body, request)),
    scope: { of: siteScope, row: VEHICLE_IN_SITE },
    orderBy: 'plate, id',
  });

  registerCrud(app, {
    path: '/api/visitor-passes',
    table: 'visitor_passes',
    entity: 'visitor pass',
    read: GATE_STAFF,
    write: GATE_STAFF,
    columns: { siteId: 'site_id', householdId: 'household_id', plate: 'plate', validFrom: 'valid_from', validTo: 'valid_to', multiEntry: 'multi_entry', createdBy: 'created_by' },
    create: Type.Object(
      { siteId: Uuid, householdId: Type.Optional(Uuid), plate: Plate, validFrom: Timestamp, validTo: Timestamp, multiEntry: Type.Optional(Type.Boolean()) },
      { additionalProperties: false },
    ),
    out: Type.Object({
      id: Type.String(),
      siteId: Type.String(),
      householdId: Nullable(Type.String()),
      plate: Type.String(),
      validFrom: Type.String(),
      validTo: Type.String(),
      multiEntry: Type.Boolean(),
      entries: Type.Integer(),
      createdAt: Type.String(),
    }),
    toApi: (r) => ({
      id: r.id,
      siteId: r.site_id,
      householdId: r.household_id,
      plate: r.plate,
      validFrom: iso(r.valid_from),
      validTo: iso(r.valid_to),
      multiEntry: r.multi_entry,
      entries: r.entries,
      createdAt: r.created_at.toISOString(),
    }),
    searchColumns: ['plate'],
    filters: { siteId: { column: 'site_id', schema: Uuid }, householdId: { column: 'household_id', schema: Uuid } },
    beforeWrite: async (body, request) => {
      if (body.validFrom && body.validTo && Date.parse(String(body.validTo)) <= Date.parse(String(body.validFrom))) throw badRequest('validTo must be after validFrom', 'validation');
      return createdBy(await inSite(body, request), request);
    },
    scope: SITE_ROWS,
    orderBy: 'valid_to DESC, id',
  });

  registerCrud(app, {
    path: '/api/watchlist',
    table: 'watchlist',
    entity: 'watch-list entry',
    read: STAFF,
    write: STAFF,
    columns: { plate: 'plate', reason: 'reason', severity: 'severity', active: 'active', createdBy: 'created_by' },
    create: Type.Object(
      { plate: Plate, reason: SafeText(200, 1), severity: Type.Optional(Type.Union([Type.Literal('low'), Type.Literal('medium'), Type.Literal('high')])), active: Type.Optional(Type.Boolean()) },
      { additionalProperties: false },
    ),
    out: Type.Object({ id: Type.String(), plate: Type.String(), reason: Type.String(), severity: Type.String(), active: Type.Boolean(), createdAt: Type.String() }),
    toApi: (r) => ({ id: r.id, plate: r.plate, reason: r.reason, severity: r.severity, active: r.active, createdAt: r.created_at.toISOString() }),
    searchColumns: ['plate', 'reason'],
    beforeWrite: createdBy,
    orderBy: 'created_at DESC, id',
  });
}
