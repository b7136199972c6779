// The organization's chats counted per UTC day of created_at (table chat_day_counts, kept exact
// by the triggers of migration 0006). Because a day holds exactly the chats created in it, the
// chats before a day's first second are exactly the days before it: an unfiltered list's total
// is their sum, and offset N in created order is "skip N − (chats in earlier days) from that
// day's first chat" — exact, and independent of how deep N is (issue 3 (iv)).
import type { Executor } from '../../db/database.ts';

export const DAY_SECONDS = 86_400;

export interface DayCount {
  day: number;
  chats: number;
}

/** the organization's non-empty days, oldest first */
export async function chatDays(db: Executor, orgId: number): Promise<DayCount[]> {
  const rows = await db
    .selectFrom('chat_day_counts')
    .select(['day', 'chats'])
    .where('organization_id', '=', orgId)
    .where('chats', '>', 0)
    .orderBy('day')
    .execute();
  return rows.map((r) => ({ day: Number(r.day), chats: Number(r.chats) }));
}

export const totalOf = (days: DayCount[]) => days.reduce((sum, d) => sum + d.chats, 0);

/**
 * Where offset `offset` lands in created order: the page starts `skip` chats into the chats
 * with created_at ≥ `from` (ascending) or < `before` (descending). Null when the offset is at
 * or past the end: the page is empty.
 */
export type Seek = { from: number; skip: number } | { before: number; skip: number };

export function seekOffset(days: DayCount[], offset: number, direction: 'asc' | 'desc'): Seek | null {
  let passed = 0;
  const ordered = direction === 'asc' ? days : [...days].reverse();
  for (const d of ordered) {
    if (passed + d.chats > offset) {
      const skip = offset - passed;
      return direction === 'asc' ? { from: d.day * DAY_SECONDS, skip } : { before: (d.day + 1) * DAY_SECONDS, skip };
    }
    passed += d.chats;
  }
  return null;
}

/** all the organization's chats: the sum of its days */
export async function chatsOfOrganization(db: Executor, orgId: number): Promise<number> {
  const r = await db
    .selectFrom('chat_day_counts')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('chats'), eb.lit(0)).as('n'))
    .where('organization_id', '=', orgId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
