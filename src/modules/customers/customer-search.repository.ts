// Customer lists and searches: the ids of a page first, over customers alone, then the rows of
// just those ids (customersByIds), as chat searches do.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { Page } from '../../input/pagination.ts';
import type { Filter } from '../search/filter.ts';
import { filterSql } from '../search/sql.ts';
import { orderBySql, type Sort } from '../search/sort.ts';

function matching(db: Executor, orgId: number, filter: Filter) {
  const q = db.selectFrom('customers as cu').where('cu.organization_id', '=', orgId);
  const where = filterSql(filter, { orgId });
  return where ? q.where(where) : q;
}


export async function searchCustomerIds(db: Executor, orgId: number, filter: Filter, sort: Sort, page: Page): Promise<number[]> {
  const rows = await matching(db, orgId, filter)
    .select('cu.id')
    .orderBy(orderBySql(sort))
    .orderBy('cu.id', sort.direction)
    .offset(page.offset)
    .limit(page.limit)
    .execute();
  return rows.map((r) => r.id);
}

export async function countCustomers(db: Executor, orgId: number, filter: Filter): Promise<number> {
  const r = await matching(db, orgId, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
