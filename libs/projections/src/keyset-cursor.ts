import { DomainError } from '@app/shared-kernel';
import type { Pool, QueryResultRow } from 'pg';

/**
 * Lists ordered by (a moment, an id) page with an opaque cursor holding the last pair of the page,
 * so a page never shifts when rows are added before it.
 */
export const encodeKeysetCursor = (at: string, id: string): string => Buffer.from(JSON.stringify([at, id]), 'utf8').toString('base64url');

export function decodeKeysetCursor(cursor: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && !Number.isNaN(Date.parse(value[0])) && typeof value[1] === 'string') return [value[0], value[1]];
  } catch {
    // fall through to the refusal
  }
  throw new DomainError('invalid', 'INVALID_CURSOR', 'The cursor is not one this API gave out.', [{ field: 'cursor', message: 'unknown cursor' }]);
}

/** A list ordered by (`at`, `id`), newest or oldest first, with the caller's own conditions. */
export interface KeysetQuery {
  /** `SELECT … FROM …`, without WHERE. */
  select: string;
  at: string;
  id: string;
  order: 'asc' | 'desc';
  where: readonly string[];
  values: readonly unknown[];
  cursor: string | null;
  limit: number;
}

/**
 * One page of a keyset list and the cursor to the next, if any. Ids compare in "C" collation so
 * the order (and the cursor) does not depend on the database's locale.
 */
export async function keysetPage<Row extends QueryResultRow>(db: Pick<Pool, 'query'>, q: KeysetQuery, key: (row: Row) => [Date, string]): Promise<{ rows: Row[]; nextCursor: string | null }> {
  const where = [...q.where];
  const values = [...q.values];
  if (q.cursor !== null) {
    const [at, id] = decodeKeysetCursor(q.cursor);
    values.push(at, id);
    where.push(`(${q.at}, ${q.id} COLLATE "C") ${q.order === 'desc' ? '<' : '>'} ($${values.length - 1}::timestamptz, $${values.length} COLLATE "C")`);
  }
  values.push(q.limit + 1);
  const direction = q.order === 'desc' ? ' DESC' : '';
  const { rows } = await db.query<Row>(`${q.select}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${q.at}${direction}, ${q.id} COLLATE "C"${direction} LIMIT $${values.length}`, values);
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  if (rows.length <= q.limit || !last) return { rows: page, nextCursor: null };
  const [at, id] = key(last);
  return { rows: page, nextCursor: encodeKeysetCursor(at.toISOString(), id) };
}
