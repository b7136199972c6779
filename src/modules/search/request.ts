// The request side of every list and search endpoint (API.md §1, §4.1): GET lists take sort
// and paging from the query; searches take filter, comparison, sort and paging from the body.
// Every problem of every part is reported together in one 400.
import { Invalid, type ErrorItem } from '../../errors.ts';
import { parsePage, type Page } from '../../input/pagination.ts';
import { REASON } from '../../input/validate.ts';
import type { Lookup } from '../../lib/lookup.ts';
import { parseFilter, type Catalogue, type Filter } from './filter.ts';
import { parseSort, type Sort, type SortColumn } from './sort.ts';

export interface SearchRequest {
  filter: Filter;
  sort: Sort;
  page: Page;
}

export interface Searchable {
  /** the field prefix clients may use: `chats` in `chats.status` */
  prefix: string;
  fields: Catalogue;
  sorts: Lookup<SortColumn>;
  defaultSort: string;
}

const NO_FILTER: Filter = { conditions: [], comparison: 'AND' };

function collect(parts: { [K in keyof SearchRequest]: () => SearchRequest[K] }): SearchRequest {
  const items: ErrorItem[] = [];
  const out = {} as SearchRequest;
  for (const key of Object.keys(parts) as Array<keyof SearchRequest>) {
    try {
      (out as unknown as Record<string, unknown>)[key] = parts[key]();
    } catch (err) {
      if (!(err instanceof Invalid)) throw err;
      items.push(...err.items);
    }
  }
  if (items.length > 0) throw new Invalid(items);
  return out;
}

/** GET list: sort and paging only (filters are the search endpoint's) */
export function parseListRequest(query: Record<string, unknown>, s: Searchable): SearchRequest {
  return collect({
    filter: () => NO_FILTER,
    sort: () => parseSort(query, s.sorts, s.prefix, s.defaultSort),
    page: () => parsePage(query),
  });
}

/** POST search body */
export function parseSearchRequest(body: unknown, s: Searchable): SearchRequest {
  if (body === undefined) body = {};
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw Invalid.field('body', REASON.object);
  const b = body as Record<string, unknown>;
  return collect({
    filter: () => parseFilter(b.filter, b.comparison, s.fields, s.prefix),
    sort: () => parseSort(b, s.sorts, s.prefix, s.defaultSort),
    page: () => parsePage(b),
  });
}
