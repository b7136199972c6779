// All SQL about customer activity events (DESIGN rule 5), scoped by organization.
import type { Executor } from '../../db/database.ts';
import type { Page } from '../../input/pagination.ts';

export interface CustomerEventRow {
  id: number;
  customer_id: number;
  name: string;
  data: string | null;
  created_at: number;
}

export async function insertCustomerEvent(
  db: Executor,
  row: { orgId: number; customerId: number; name: string; data: string | null; createdAt: number },
): Promise<CustomerEventRow> {
  return db
    .insertInto('customer_events')
    .values({ organization_id: row.orgId, customer_id: row.customerId, name: row.name, data: row.data, created_at: row.createdAt })
    .returning(['id', 'customer_id', 'name', 'data', 'created_at'])
    .executeTakeFirstOrThrow();
}

/** a customer's events, newest first; ties by id in the same direction (API.md §5) */
export function listCustomerEvents(db: Executor, orgId: number, customerId: number, page: Page): Promise<CustomerEventRow[]> {
  return db
    .selectFrom('customer_events')
    .select(['id', 'customer_id', 'name', 'data', 'created_at'])
    .where('organization_id', '=', orgId)
    .where('customer_id', '=', customerId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
}

export async function countCustomerEvents(db: Executor, orgId: number, customerId: number): Promise<number> {
  const r = await db
    .selectFrom('customer_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organization_id', '=', orgId)
    .where('customer_id', '=', customerId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
