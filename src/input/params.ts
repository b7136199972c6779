import { NotFound } from '../errors.ts';

/**
 * An id in the URL. API.md §5: a non-numeric id is an unknown entity → the general 404.
 */
export function pathId(raw: unknown, entity: string): number {
  const text = String(raw ?? '');
  if (!/^\d{1,15}$/.test(text) || Number(text) <= 0) throw new NotFound(entity, text);
  return Number(text);
}
