// API.md §1: `offset` (default 0) and `limit` (default 100, clamped to 100); negative or
// non-integer values → 400 naming the key.
import { Invalid, type ErrorItem } from '../errors.ts';
import { parseInteger, REASON } from './validate.ts';

export interface Page {
  offset: number;
  limit: number;
}

export const MAX_LIMIT = 100;

export function parsePage(input: { offset?: unknown; limit?: unknown } | undefined): Page {
  const items: ErrorItem[] = [];
  const read = (key: 'offset' | 'limit', fallback: number) => {
    const raw = input?.[key];
    if (raw === undefined || raw === '') return fallback;
    const n = parseInteger(raw);
    if (!n.ok) {
      items.push({ code: key, message: n.reason });
      return fallback;
    }
    if (n.value < 0) {
      items.push({ code: key, message: REASON.positiveOrZero });
      return fallback;
    }
    return n.value;
  };
  const offset = read('offset', 0);
  const limit = Math.min(read('limit', MAX_LIMIT), MAX_LIMIT);
  if (items.length > 0) throw new Invalid(items);
  return { offset, limit };
}
