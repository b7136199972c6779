// `sort` / `order` of lists and searches (API.md §1): the field with or without its prefix
// (`chats.createdAt` or `createdAt`), `asc`/`desc` in any case; every order ends with the id
// in the same direction so offset paging never skips or repeats.
import { sql } from 'kysely';
import { Invalid, type ErrorItem } from '../../errors.ts';
import { REASON } from '../../input/validate.ts';
import type { Lookup } from '../../lib/lookup.ts';

export interface SortColumn {
  column: string;
  /** nullable columns get an explicit NULL order: first ascending, last descending */
  nullable: boolean;
}

export interface Sort extends SortColumn {
  direction: 'asc' | 'desc';
}

export function parseSort(
  raw: { sort?: unknown; order?: unknown },
  columns: Lookup<SortColumn>,
  prefix: string,
  fallback: string,
): Sort {
  const items: ErrorItem[] = [];
  let column = columns[fallback];
  if (!column) throw new Error(`the default sort "${fallback}" is not a sort column`);
  if (raw.sort !== undefined && raw.sort !== null && raw.sort !== '') {
    const name = typeof raw.sort === 'string' && raw.sort.startsWith(`${prefix}.`) ? raw.sort.slice(prefix.length + 1) : raw.sort;
    const named = typeof name === 'string' ? columns[name] : undefined;
    if (named) column = named;
    else items.push({ code: 'sort', message: `${REASON.choice} Valid sort fields: ${Object.keys(columns).map((c) => `${prefix}.${c}`).join(', ')}` });
  }
  let direction: Sort['direction'] = 'asc';
  if (raw.order !== undefined && raw.order !== null && raw.order !== '') {
    const o = typeof raw.order === 'string' ? raw.order.toLowerCase() : null;
    if (o === 'asc' || o === 'desc') direction = o;
    else items.push({ code: 'order', message: REASON.choice });
  }
  if (items.length > 0) throw new Invalid(items);
  return { ...column, direction };
}

/**
 * The ORDER BY term. SQLite and PostgreSQL disagree on where NULLs sort, so nullable columns
 * say it (first ascending, last descending) — only those, so PostgreSQL can still walk its
 * default-ordered index for the others. The id tie-breaker is added by the caller.
 */
export function orderBySql(sort: Sort) {
  const nulls = sort.nullable ? sql.raw(sort.direction === 'asc' ? ' nulls first' : ' nulls last') : sql.raw('');
  return sql`${sql.ref(sort.column)} ${sql.raw(sort.direction)}${nulls}`;
}
