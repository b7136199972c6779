// Customer use cases that create and read: POST /v1/customers, GET /v1/customers[/{id}],
// POST /v1/customers/search (API.md §4.1, §4.4). Changes are in customer-changes.service.ts.
import type { Database, Executor, Trx } from '../../db/database.ts';
import { Invalid, NotFound } from '../../errors.ts';
import type { Page } from '../../input/pagination.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Filter } from '../search/filter.ts';
import type { Sort } from '../search/sort.ts';
import { appendCustomerEvents } from './customer-outbox.ts';
import { countCustomers, searchCustomerIds } from './customer-search.repository.ts';
import { newCustomerRow, nextTags } from './customer-values.ts';
import { presentCustomer, type Customer } from './customers.presenter.ts';
import * as repo from './customers.repository.ts';
import type { CreateCustomerInput } from './customers.schema.ts';

/** API.md §4.4: a duplicate userId is a 400 whose *first* item is this one. */
export const USER_ID_IN_USE = { code: 'invalid_userId_value', message: 'userId value is already in use' };

/**
 * The duplicate-userId answer: the single item alone (docs/compatibility.md), or, for an item of
 * a batch, followed by the item's place (`[2].userId`).
 */
export const userIdInUse = (at?: string) =>
  new Invalid(at === undefined ? [USER_ID_IN_USE] : [USER_ID_IN_USE, { code: `${at}.userId`, message: USER_ID_IN_USE.message }], true);

/**
 * Runs a customer write; a unique violation on userId that slipped past the check (two
 * requests racing on PostgreSQL) gets the same answer as the check.
 */
export async function guardUserId<T>(work: () => Promise<T>, at?: string): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw repo.isUniqueViolation(err) ? userIdInUse(at) : err;
  }
}

export function createCustomer(database: Database, clock: Clock, orgId: number, input: CreateCustomerInput) {
  return database.write((trx) =>
    guardUserId(async () => {
      if (input.userId !== undefined && (await repo.userIdTaken(trx, orgId, input.userId))) throw userIdInUse();
      const now = clock.now();
      const id = await repo.insertCustomer(trx, newCustomerRow(orgId, input, now));
      await repo.replaceCustomerTags(trx, orgId, id, nextTags([], { add: input.tags ?? [] }));
      const customer = await readCustomer(trx, orgId, id);
      await appendCustomerEvents(trx, orgId, ['customer.new'], customer, now);
      return customer;
    }),
  );
}

/** the customer as the API shows it, or undefined */
export async function findCustomerView(db: Executor, orgId: number, customerId: number): Promise<Customer | undefined> {
  const row = await repo.findCustomer(db, orgId, customerId);
  return row && presentCustomer(row, await repo.customerTags(db, orgId, customerId));
}

/** GET /v1/customers/{id}: unknown or another organization's → the general 404 (API.md §5) */
export async function getCustomer(db: Executor, orgId: number, customerId: number): Promise<Customer> {
  const customer = await findCustomerView(db, orgId, customerId);
  if (!customer) throw new NotFound('Customer', customerId);
  return customer;
}

/** the customer, known to exist (inside the transaction that just wrote it) */
export async function readCustomer(trx: Trx, orgId: number, customerId: number): Promise<Customer> {
  const customer = await findCustomerView(trx, orgId, customerId);
  if (!customer) throw new Error(`customer ${customerId} vanished inside its own transaction`);
  return customer;
}

/** one page of customers matching `filter`, and how many match in all */
export async function findCustomers(db: Executor, orgId: number, filter: Filter, sort: Sort, page: Page) {
  const [ids, total] = await Promise.all([searchCustomerIds(db, orgId, filter, sort, page), countCustomers(db, orgId, filter)]);
  const [rows, tags] = await Promise.all([repo.customersByIds(db, orgId, ids), repo.tagsOfCustomers(db, orgId, ids)]);
  return { data: rows.map((r) => presentCustomer(r, tags.get(r.id) ?? [])), total };
}
