import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { CustomerTable } from '../../db/schema.ts';

export type CustomerRow = Selectable<CustomerTable>;

export function findCustomer(db: Executor, orgId: number, customerId: number) {
  return db
    .selectFrom('customers')
    .selectAll()
    .where('organization_id', '=', orgId)
    .where('id', '=', customerId)
    .executeTakeFirst();
}

export async function userIdTaken(db: Executor, orgId: number, userId: string): Promise<boolean> {
  const r = await db
    .selectFrom('customers')
    .select('id')
    .where('organization_id', '=', orgId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return r !== undefined;
}

export async function insertCustomer(db: Executor, row: Insertable<CustomerTable>): Promise<number> {
  const r = await db.insertInto('customers').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export function customerTags(db: Executor, orgId: number, customerId: number) {
  return db
    .selectFrom('customer_tags')
    .select(['name', 'color'])
    .where('organization_id', '=', orgId)
    .where('customer_id', '=', customerId)
    .orderBy('name')
    .execute();
}

export async function addCustomerTags(db: Executor, orgId: number, customerId: number, tags: { name: string; color: string }[]) {
  if (tags.length === 0) return;
  await db
    .insertInto('customer_tags')
    .values(tags.map((t) => ({ organization_id: orgId, customer_id: customerId, name: t.name, color: t.color })))
    .onConflict((oc) => oc.columns(['customer_id', 'name']).doUpdateSet((eb) => ({ color: eb.ref('excluded.color') })))
    .execute();
}
