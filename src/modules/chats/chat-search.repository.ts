// Chat lists and searches. A page is found in two steps — the ids first, over chats alone (an
// index walk when the sort is indexed), then the views of just those ids — so a deep offset
// skips rows without joining them (issue 3: offset 500,000 stays cheap).
import type { Executor } from '../../db/database.ts';
import { runCompiled } from '../../db/prepared.ts';
import { isPostgres } from '../../db/dialect.ts';
import type { Page } from '../../input/pagination.ts';
import type { Filter } from '../search/filter.ts';
import { filterSql, type SqlContext } from '../search/sql.ts';
import { orderBySql, type Sort } from '../search/sort.ts';
import type { Seek } from './chat-search.days.ts';

function matching(db: Executor, orgId: number, filter: Filter, customers: SqlContext['customers'] = 'in') {
  const q = db.selectFrom('chats as c').where('c.organization_id', '=', orgId);
  const where = filterSql(filter, { orgId, chatId: 'c.id', customers, trigrams: !isPostgres(db) });
  return where ? q.where(where) : q;
}

/**
 * One page of ids. With `seek` (created order only, chat-search.days.ts) the walk starts at
 * the seek's day and `page.offset` counts from there. `customers`: see SqlContext.
 */
export async function searchChatIds(
  db: Executor, orgId: number, filter: Filter, sort: Sort, page: Page, how: { seek?: Seek; customers?: SqlContext['customers'] } = {},
): Promise<number[]> {
  const seek = how.seek;
  let q = matching(db, orgId, filter, how.customers);
  if (seek) q = 'from' in seek ? q.where('c.created_at', '>=', seek.from) : q.where('c.created_at', '<', seek.before);
  const query = q.select('c.id').orderBy(orderBySql(sort)).orderBy('c.id', sort.direction).offset(page.offset).limit(page.limit);
  const { rows } = await runCompiled(db, query.compile());
  return rows.map((r) => r.id);
}

export async function countChats(db: Executor, orgId: number, filter: Filter): Promise<number> {
  const query = matching(db, orgId, filter).select((eb) => eb.fn.countAll<number>().as('n'));
  const { rows } = await runCompiled(db, query.compile());
  return Number(rows[0].n);
}

/**
 * The total of a filter made only of conditions on the chat's customer: the chat counts of the
 * matching customers (customer_chat_counts, kept by migration 0008's triggers) added up, instead
 * of counting every matching chat. The counts table is aliased `c` so the conditions' `c.customer_id`
 * names its customer; customers are scoped to the organization inside each condition.
 */
export async function countChatsByCustomers(db: Executor, orgId: number, filter: Filter): Promise<number> {
  const where = filterSql(filter, { orgId, customers: 'in', trigrams: !isPostgres(db) });
  let q = db.selectFrom('customer_chat_counts as c').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('c.chats'), eb.lit(0)).as('n'));
  if (where) q = q.where(where);
  const { rows } = await runCompiled(db, q.compile());
  return Number(rows[0].n);
}
