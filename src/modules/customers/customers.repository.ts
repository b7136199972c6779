// All SQL about customers and their tags (DESIGN rule 5): every query is scoped by
// organization id. Lists and searches are in customer-search.repository.ts.
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { isPostgres } from '../../db/dialect.ts';
import type { CustomerTable } from '../../db/schema.ts';

export type CustomerRow = Selectable<CustomerTable>;
export interface TagRow {
  name: string;
  color: string;
}

export function findCustomer(db: Executor, orgId: number, customerId: number) {
  return db
    .selectFrom('customers')
    .selectAll()
    .where('organization_id', '=', orgId)
    .where('id', '=', customerId)
    .executeTakeFirst();
}

/**
 * Locks the customer row until the transaction ends, so concurrent read-modify-writes of one
 * customer (tags, customData merges) are serialised on PostgreSQL. On SQLite every write
 * transaction is already exclusive.
 */
export async function lockCustomer(db: Executor, orgId: number, customerId: number): Promise<void> {
  if (!isPostgres(db)) return;
  await db.selectFrom('customers').select('id').where('organization_id', '=', orgId).where('id', '=', customerId).forUpdate().execute();
}

/** the ids among `customerIds` that exist in the organization */
export async function existingCustomerIds(db: Executor, orgId: number, customerIds: number[]): Promise<Set<number>> {
  if (customerIds.length === 0) return new Set();
  const rows = await db.selectFrom('customers').select('id').where('organization_id', '=', orgId).where('id', 'in', customerIds).execute();
  return new Set(rows.map((r) => r.id));
}

/** whether another customer of the organization than `exceptId` has this userId */
export async function userIdTaken(db: Executor, orgId: number, userId: string, exceptId: number | null = null): Promise<boolean> {
  let q = db.selectFrom('customers').select('id').where('organization_id', '=', orgId).where('user_id', '=', userId);
  if (exceptId !== null) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

export async function insertCustomer(db: Executor, row: Insertable<CustomerTable>): Promise<number> {
  const r = await db.insertInto('customers').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function updateCustomer(db: Executor, orgId: number, customerId: number, values: Updateable<CustomerTable>) {
  await db.updateTable('customers').set(values).where('organization_id', '=', orgId).where('id', '=', customerId).execute();
}

/** The customer goes with their tags, events, chats and the chats' messages, agents and history (FK cascades, migrations 0001 and 0003). */
export async function deleteCustomer(db: Executor, orgId: number, customerId: number): Promise<boolean> {
  const r = await db.deleteFrom('customers').where('organization_id', '=', orgId).where('id', '=', customerId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export function customerTags(db: Executor, orgId: number, customerId: number): Promise<TagRow[]> {
  return db
    .selectFrom('customer_tags')
    .select(['name', 'color'])
    .where('organization_id', '=', orgId)
    .where('customer_id', '=', customerId)
    .execute();
}

/** the tags of each of the customers */
export async function tagsOfCustomers(db: Executor, orgId: number, customerIds: number[]): Promise<Map<number, TagRow[]>> {
  const byCustomer = new Map<number, TagRow[]>(customerIds.map((id) => [id, []]));
  if (customerIds.length === 0) return byCustomer;
  const rows = await db
    .selectFrom('customer_tags')
    .select(['customer_id', 'name', 'color'])
    .where('organization_id', '=', orgId)
    .where('customer_id', 'in', customerIds)
    .execute();
  for (const { customer_id, ...tag } of rows) byCustomer.get(customer_id)?.push(tag);
  return byCustomer;
}

/** The customer's tags become exactly `tags` (the one writer of customer_tags). */
export async function replaceCustomerTags(db: Executor, orgId: number, customerId: number, tags: TagRow[]) {
  await db.deleteFrom('customer_tags').where('organization_id', '=', orgId).where('customer_id', '=', customerId).execute();
  if (tags.length === 0) return;
  await db
    .insertInto('customer_tags')
    .values(tags.map((t) => ({ organization_id: orgId, customer_id: customerId, name: t.name, color: t.color })))
    .execute();
}

/** the rows of a page of customers, in the order of `customerIds` */
export async function customersByIds(db: Executor, orgId: number, customerIds: number[]): Promise<CustomerRow[]> {
  if (customerIds.length === 0) return [];
  const rows = await db.selectFrom('customers').selectAll().where('organization_id', '=', orgId).where('id', 'in', customerIds).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return customerIds.flatMap((id) => byId.get(id) ?? []);
}

/** a unique-constraint violation from either database (the userId backstop under concurrency) */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}
