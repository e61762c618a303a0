// Small helpers so route files don't each hand-build paging and partial updates.
import type { Pool, QueryResultRow } from 'pg';
import { notFound } from './http-error';

export interface PageResult<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** Runs `select … from … where …` with LIMIT/OFFSET and a total count in one round trip. */
export async function paginate<R extends QueryResultRow, T>(
  db: Pool,
  opts: { from: string; where: string[]; params: unknown[]; orderBy: string; page?: number; pageSize?: number; map: (r: R) => T },
): Promise<PageResult<T>> {
  const page = opts.page ?? 1;
  const pageSize = opts.pageSize ?? 20;
  const where = opts.where.length ? `WHERE ${opts.where.join(' AND ')}` : '';
  const n = opts.params.length;
  const { rows } = await db.query<R & { __total: string }>(
    `SELECT *, count(*) OVER () AS __total FROM ${opts.from} ${where} ORDER BY ${opts.orderBy} LIMIT $${n + 1} OFFSET $${n + 2}`,
    [...opts.params, pageSize, (page - 1) * pageSize],
  );
  return { items: rows.map(opts.map), total: rows.length ? Number(rows[0].__total) : 0, page, pageSize };
}

/**
 * UPDATE with only the fields present in `patch`; `columns` maps API field → column.
 * Returns the updated row or throws 404.
 */
export async function updatePartial<R extends QueryResultRow>(
  db: Pool,
  table: string,
  id: string,
  patch: Record<string, unknown>,
  columns: Record<string, string>,
  what: string,
): Promise<R> {
  const sets: string[] = [];
  const params: unknown[] = [id];
  for (const [field, column] of Object.entries(columns)) {
    if (patch[field] === undefined) continue;
    params.push(patch[field]);
    sets.push(`${column} = $${params.length}`);
  }
  sets.push('updated_at = now()');
  const { rows } = await db.query<R>(`UPDATE ${table} SET ${sets.join(', ')} WHERE id = $1 RETURNING *`, params);
  if (!rows[0]) throw notFound(what);
  return rows[0];
}

export async function deleteById(db: Pool, table: string, id: string, what: string): Promise<void> {
  const { rowCount } = await db.query(`DELETE FROM ${table} WHERE id = $1`, [id]);
  if (!rowCount) throw notFound(what);
}

/** Maps a unique-violation from PostgreSQL to a 409 with a readable message. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === '23505';
}

export function isForeignKeyViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === '23503';
}

/**
 * WHERE clauses and parameters from optional filters: each `[value, clause]` whose value is set
 * adds its clause with `$N` replaced by the parameter's number; `search` adds an ILIKE over columns.
 */
export function whereFrom(
  filters: readonly (readonly [unknown, string])[],
  search?: { text: string | undefined; columns: readonly string[] },
): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  for (const [value, clause] of filters) {
    if (value === undefined || value === null || value === '') continue;
    params.push(value);
    where.push(clause.replaceAll('$N', `$${params.length}`));
  }
  if (search?.text) {
    params.push(`%${search.text}%`);
    where.push(`(${search.columns.map((c) => `${c} ILIKE $${params.length}`).join(' OR ')})`);
  }
  return { where, params };
}
