import { NotFound } from '../errors.ts';
import { MAX_INT32 } from './validate.ts';

/**
 * An id in the URL. API.md §5: a non-numeric id is an unknown entity → the general 404, and so
 * is one beyond the ids any entity can have (MAX_INT32).
 */
export function pathId(raw: unknown, entity: string): number {
  const text = String(raw ?? '');
  if (!/^\d{1,15}$/.test(text) || Number(text) <= 0 || Number(text) > MAX_INT32) throw new NotFound(entity, text);
  return Number(text);
}
