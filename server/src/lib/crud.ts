// One place for the list/get/create/update/delete routes that registries (sites, teams, cameras…)
// share: paging, search, filters, schema validation, 404/409 mapping and audit entries.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type TObject, type TProperties, type TSchema } from '@sinclair/typebox';
import { badRequest, conflict, notFound } from './http-error';
import type { Role } from './roles';
import { errorResponses, IdParams, Page, PageQuery } from './schemas';
import { deleteById, isForeignKeyViolation, isUniqueViolation, paginate, updatePartial, whereFrom } from './sql';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = any;

export interface CrudOptions {
  path: string; // e.g. /api/sites
  table: string;
  entity: string; // for messages and audit, e.g. 'site'
  read: readonly Role[];
  write: readonly Role[];
  /** API field → column, for create and patch. */
  columns: Record<string, string>;
  create: TObject;
  out: TSchema;
  toApi: (row: Row) => unknown;
  searchColumns: string[];
  /** Extra equality filters: query field → column. */
  filters?: Record<string, { column: string; schema: TSchema }>;
  /** Turns an API body into column values (e.g. encrypts a password). */
  beforeWrite?: (body: Record<string, unknown>, request: FastifyRequest) => Promise<Record<string, unknown>> | Record<string, unknown>;
  orderBy?: string;
  /**
   * Row-level scope for callers bound to one site (estate staff): when `of(request)` names a site,
   * list, get, patch and delete see only rows where `row` holds (SQL over the table, `$N` = that
   * site) and anything else answers 404 as if absent. Bodies are checked by `beforeWrite`.
   */
  scope?: { of: (request: FastifyRequest) => string | null; row: string };
}

function dbError(entity: string) {
  return (err: unknown): never => {
    if (isUniqueViolation(err)) throw conflict(`A ${entity} with these values already exists`);
    if (isForeignKeyViolation(err)) throw badRequest(`A referenced record of this ${entity} does not exist`, 'validation');
    throw err;
  };
}

export function registerCrud(app: FastifyInstance, o: CrudOptions): void {
  const tags = [o.entity];
  const filterProps: TProperties = {};
  for (const [field, f] of Object.entries(o.filters ?? {})) filterProps[field] = Type.Optional(f.schema);
  const patch = Type.Partial(o.create, { minProperties: 1, additionalProperties: false });
  const prepare = async (body: Record<string, unknown>, request: FastifyRequest) => (o.beforeWrite ? o.beforeWrite({ ...body }, request) : body);
  const capitalised = o.entity[0].toUpperCase() + o.entity.slice(1);
  const scopeOf = (request: FastifyRequest) => (o.scope ? o.scope.of(request) : null);
  /** The row `id` as the caller may see it (scoped), or 404. */
  const visibleRow = async (request: FastifyRequest, id: string): Promise<Row> => {
    const site = scopeOf(request);
    const { rows } = await app.db.query(
      `SELECT * FROM ${o.table} WHERE id = $1${site === null ? '' : ` AND ${o.scope!.row.replaceAll('$N', '$2')}`}`,
      site === null ? [id] : [id, site],
    );
    if (!rows[0]) throw notFound(capitalised);
    return rows[0];
  };

  app.get(
    o.path,
    {
      config: { access: o.read },
      schema: { tags, querystring: Type.Object({ ...PageQuery, ...filterProps }, { additionalProperties: false }), response: { 200: Page(o.out), ...errorResponses } },
    },
    async (request) => {
      const q = request.query as Record<string, unknown> & { page?: number; pageSize?: number; q?: string };
      const site = scopeOf(request);
      const { where, params } = whereFrom(
        [...Object.entries(o.filters ?? {}).map(([field, f]) => [q[field], `${f.column} = $N`] as const), ...(site === null ? [] : [[site, o.scope!.row] as const])],
        { text: q.q, columns: o.searchColumns },
      );
      return paginate(app.db, { from: o.table, where, params, orderBy: o.orderBy ?? 'name, id', page: q.page, pageSize: q.pageSize, map: o.toApi });
    },
  );

  app.get(`${o.path}/:id`, { config: { access: o.read }, schema: { tags, params: IdParams, response: { 200: o.out, ...errorResponses } } }, async (request) => {
    return o.toApi(await visibleRow(request, (request.params as { id: string }).id));
  });

  app.post(o.path, { config: { access: o.write }, schema: { tags, body: o.create, response: { 201: o.out, ...errorResponses } } }, async (request, reply) => {
    const body = await prepare(request.body as Record<string, unknown>, request);
    const fields = Object.keys(o.columns).filter((f) => body[f] !== undefined);
    const row = await app.db
      .query(
        `INSERT INTO ${o.table} (${fields.map((f) => o.columns[f]).join(', ')}) VALUES (${fields.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING *`,
        fields.map((f) => body[f]),
      )
      .then((r) => r.rows[0], dbError(o.entity));
    await app.audit.write(request, { action: `${o.entity}.create`, targetType: o.entity, targetId: row.id });
    return reply.status(201).send(o.toApi(row));
  });

  app.patch(`${o.path}/:id`, { config: { access: o.write }, schema: { tags, params: IdParams, body: patch, response: { 200: o.out, ...errorResponses } } }, async (request) => {
    const { id } = request.params as { id: string };
    if (o.scope) await visibleRow(request, id);
    const body = await prepare(request.body as Record<string, unknown>, request);
    const row = await updatePartial(app.db, o.table, id, body, o.columns, capitalised).catch(dbError(o.entity));
    await app.audit.write(request, { action: `${o.entity}.update`, targetType: o.entity, targetId: id, details: { fields: Object.keys(request.body as object) } });
    return o.toApi(row);
  });

  app.delete(`${o.path}/:id`, { config: { access: o.write }, schema: { tags, params: IdParams, response: { 204: Type.Null(), ...errorResponses } } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    if (o.scope) await visibleRow(request, id);
    await deleteById(app.db, o.table, id, capitalised).catch(dbError(o.entity));
    await app.audit.write(request, { action: `${o.entity}.delete`, targetType: o.entity, targetId: id });
    return reply.status(204).send();
  });
}
