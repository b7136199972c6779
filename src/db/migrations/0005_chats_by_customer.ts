// Frozen. Chat searches on the customer's fields run as `customer_id IN (matching customers)`
// (modules/search/sql.ts); counting them then walks this index alone instead of reading
// every chat row (bench, 1M chats: `customer.email ~ "gmail"` count 1.4 s → ~0.1 s).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('chats_org_customer').on('chats').columns(['organization_id', 'customer_id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('0005_chats_by_customer cannot be reverted; restore a backup instead');
}
