// GET /v1/customers query and POST /v1/customers/search body (API.md §1, §4.1).
import { Invalid, type ErrorItem } from '../../errors.ts';
import { parsePage } from '../../http/pagination.ts';
import { REASON } from '../../http/validate.ts';
import { parseFilter, type Filter } from '../search/filter.ts';
import { parseSort } from '../search/sort.ts';
import { CUSTOMER_FIELDS, CUSTOMER_SORTS } from './customer-search.fields.ts';

const NO_FILTER: Filter = { conditions: [], comparison: 'AND' };

/** Runs every parser and reports all their problems together in one 400 (as chat-search.schema.ts). */
function collect<T>(parsers: { [K in keyof T]: () => T[K] }): T {
  const items: ErrorItem[] = [];
  const out = {} as T;
  for (const key of Object.keys(parsers) as Array<keyof T>) {
    try {
      out[key] = parsers[key]();
    } catch (err) {
      if (!(err instanceof Invalid)) throw err;
      items.push(...err.items);
    }
  }
  if (items.length > 0) throw new Invalid(items);
  return out;
}

/** GET /v1/customers: sort and paging only, as GET /v1/chats */
export function parseCustomerList(query: Record<string, unknown>) {
  return collect({
    sort: () => parseSort(query, CUSTOMER_SORTS, 'customers', 'createdAt'),
    page: () => parsePage(query),
    filter: () => NO_FILTER,
  });
}

export function parseCustomerSearch(body: unknown) {
  if (body === undefined) body = {};
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw Invalid.field('body', REASON.object);
  const b = body as Record<string, unknown>;
  return collect({
    filter: () => parseFilter(b.filter, b.comparison, CUSTOMER_FIELDS, 'customers'),
    sort: () => parseSort(b, CUSTOMER_SORTS, 'customers', 'createdAt'),
    page: () => parsePage(b),
  });
}
