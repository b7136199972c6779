// `sort` / `order` of lists and searches (API.md §1): the field with or without its prefix
// (`chats.createdAt` or `createdAt`), `asc`/`desc` in any case; every order ends with the id
// in the same direction so offset paging never skips or repeats.
import { Invalid, type ErrorItem } from '../../errors.ts';
import { REASON } from '../../http/validate.ts';

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
  columns: Record<string, SortColumn>,
  prefix: string,
  fallback: string,
): Sort {
  const items: ErrorItem[] = [];
  let column = columns[fallback];
  if (raw.sort !== undefined && raw.sort !== null && raw.sort !== '') {
    const name = typeof raw.sort === 'string' && raw.sort.startsWith(`${prefix}.`) ? raw.sort.slice(prefix.length + 1) : raw.sort;
    if (typeof name === 'string' && Object.hasOwn(columns, name)) column = columns[name];
    else items.push({ code: 'sort', message: REASON.choice });
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
