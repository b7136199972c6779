// Customer activity events: POST /v1/events records one; GET /v1/customers/{id}/events [ext]
// lists a customer's, newest first (API.md §4.4, §5).
import type { Database, Executor } from '../../db/database.ts';
import { Invalid, NotFound } from '../../errors.ts';
import type { Page } from '../../input/pagination.ts';
import type { Clock } from '../../lib/clock.ts';
import { findCustomer } from '../customers/customers.repository.ts';
import { presentCustomerEvent } from './customer-events.presenter.ts';
import * as repo from './customer-events.repository.ts';
import type { CustomerEventInput } from './customer-events.schema.ts';

/** API.md §5: `customer` in a body, unknown or another organization's → 400 naming it */
export function recordCustomerEvent(database: Database, clock: Clock, orgId: number, input: CustomerEventInput) {
  return database.write(async (trx) => {
    const customer = await findCustomer(trx, orgId, input.customer);
    if (!customer) throw Invalid.field('customer', `Customer for ID "${input.customer}" was not found`);
    const row = await repo.insertCustomerEvent(trx, {
      orgId,
      customerId: customer.id,
      name: input.name!, // required: the parser refuses absent, null and ""
      data: input.data,
      createdAt: clock.now(),
    });
    return presentCustomerEvent(row);
  });
}

/** the customer in the URL: unknown or another organization's → the general 404 */
export async function customerEvents(db: Executor, orgId: number, customerId: number, page: Page) {
  const customer = await findCustomer(db, orgId, customerId);
  if (!customer) throw new NotFound('Customer', customerId);
  const [rows, total] = await Promise.all([
    repo.listCustomerEvents(db, orgId, customerId, page),
    repo.countCustomerEvents(db, orgId, customerId),
  ]);
  return { data: rows.map((r) => presentCustomerEvent(r)), total };
}
