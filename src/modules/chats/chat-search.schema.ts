// GET /v1/chats query and POST /v1/chats/search body (API.md §1, §4.1).
import { Invalid, type ErrorItem } from '../../errors.ts';
import { parsePage } from '../../http/pagination.ts';
import { REASON } from '../../http/validate.ts';
import { parseFilter, type Filter } from '../search/filter.ts';
import { parseSort } from '../search/sort.ts';
import { CHAT_FIELDS, CHAT_SORTS } from './chat-search.fields.ts';

const NO_FILTER: Filter = { conditions: [], comparison: 'AND' };

/** Runs every parser and reports all their problems together in one 400. */
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

export function parseChatList(query: Record<string, unknown>) {
  return collect({
    sort: () => parseSort(query, CHAT_SORTS, 'chats', 'createdAt'),
    page: () => parsePage(query),
    filter: () => NO_FILTER,
  });
}

export function parseChatSearch(body: unknown) {
  if (body === undefined) body = {};
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw Invalid.field('body', REASON.object);
  const b = body as Record<string, unknown>;
  return collect({
    filter: () => parseFilter(b.filter, b.comparison, CHAT_FIELDS, 'chats'),
    sort: () => parseSort(b, CHAT_SORTS, 'chats', 'createdAt'),
    page: () => parsePage(b),
  });
}
