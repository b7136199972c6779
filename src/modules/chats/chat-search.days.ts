// The organization's chats counted per UTC day of created_at (table chat_day_counts, kept exact
// by the triggers of migration 0007). Because a day holds exactly the chats created in it, the
// chats before a day's first second are exactly the days before it: an unfiltered list's total
// is their sum, and offset N in created order is "skip N − (chats in earlier days) from that
// day's first chat" — exact, and independent of how deep N is (issue 3 (iv)).
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { prepared, runCompiled } from '../../db/prepared.ts';

export const DAY_SECONDS = 86_400;

/**
 * Where offset `offset` lands in created order: the page starts `skip` chats into the chats
 * with created_at ≥ `from` (ascending) or < `before` (descending). Null when the offset is at
 * or past the end: the page is empty.
 */
export type Seek = { from: number; skip: number } | { before: number; skip: number };

/** days per coarse group: the seek reads ~25 group sums, then the ≤ 32 days of one group */
const GROUP_DAYS = 32;

/**
 * The first day (in `direction`) whose running count passes `offset`. Reading an
 * organization's ~730 day rows (or a window sum over them) costs ~1 ms; their sums per
 * 32-day group are an aggregate SQLite computes in ~0.1 ms, and then only one group's days
 * are read.
 */
export async function seekOffset(db: Executor, orgId: number, offset: number, direction: 'asc' | 'desc'): Promise<Seek | null> {
  const order = sql.raw(direction);
  // floor division, as migration 0007 computes days (a negative day belongs to the group below)
  const group = sql`((day - ((day % ${sql.lit(GROUP_DAYS)}) + ${sql.lit(GROUP_DAYS)}) % ${sql.lit(GROUP_DAYS)}) / ${sql.lit(GROUP_DAYS)})`;
  const groups = await runCompiled(db, sql<{ key: number; chats: number }>`select ${group} as key, sum(chats) as chats
    from chat_day_counts where organization_id = ${orgId} group by ${group} order by key ${order}`.compile(db));
  const inGroup = passing(groups.rows, offset);
  if (!inGroup) return null;
  const first = inGroup.row.key * GROUP_DAYS;
  const days = await runCompiled(db, sql<{ key: number; chats: number }>`select day as key, chats from chat_day_counts
    where organization_id = ${orgId} and day >= ${first} and day < ${first + GROUP_DAYS} order by day ${order}`.compile(db));
  const inDay = passing(days.rows, offset - inGroup.passed);
  if (!inDay) return null; // the counts changed between the two reads: an empty page, as past the end
  const skip = offset - inGroup.passed - inDay.passed;
  return direction === 'asc' ? { from: inDay.row.key * DAY_SECONDS, skip } : { before: (inDay.row.key + 1) * DAY_SECONDS, skip };
}

/** the first row whose running count passes `offset`, and how many the rows before it hold */
function passing(rows: Array<{ key: number; chats: number }>, offset: number): { row: { key: number }; passed: number } | null {
  let passed = 0;
  for (const r of rows) {
    const chats = Number(r.chats);
    if (passed + chats > offset) return { row: { key: Number(r.key) }, passed };
    passed += chats;
  }
  return null;
}

const chatsOfOrganizationQuery = prepared((db, orgId: number) =>
  db
    .selectFrom('chat_day_counts')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('chats'), eb.lit(0)).as('n'))
    .where('organization_id', '=', orgId),
);

/** all the organization's chats: the sum of its days */
export async function chatsOfOrganization(db: Executor, orgId: number): Promise<number> {
  const { rows } = await chatsOfOrganizationQuery(db, orgId);
  return Number(rows[0].n);
}
