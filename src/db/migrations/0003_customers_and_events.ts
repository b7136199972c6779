// Frozen. Customer activity events (POST /v1/events, GET /v1/customers/{id}/events [ext]),
// the agents' email-notification opt-out (GET /v1/agents/{id}/unsubscribe) and the indexes of
// the customer lists and searches (API.md §4.1, §4.4, §5). Portable DDL only.
import { type Kysely, type CreateTableBuilder, SqliteAdapter } from 'kysely';

type Table = CreateTableBuilder<string, any>;

export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const withId = (t: Table): Table =>
    sqlite
      ? t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      : t.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity());

  // An event goes with its customer: DELETE /v1/customers/{id} leaves nothing of them behind.
  await withId(db.schema.createTable('customer_events'))
    .addColumn('organization_id', 'integer', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    /** JSON as the client sent it (object or array), or null */
    .addColumn('data', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  // a customer's events, newest first (createdAt desc, id desc)
  await db.schema.createIndex('customer_events_customer').on('customer_events').columns(['customer_id', 'created_at', 'id']).execute();

  await db.schema
    .alterTable('agents')
    .addColumn('email_unsubscribed', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  // GET /v1/customers: default order (createdAt, id) and the firstSeen / lastSeen sorts
  const index = (name: string, columns: string[]) => db.schema.createIndex(name).on('customers').columns(columns).execute();
  await index('customers_org_created', ['organization_id', 'created_at', 'id']);
  await index('customers_org_first_seen', ['organization_id', 'first_seen']);
  await index('customers_org_last_seen', ['organization_id', 'last_seen']);
}

export async function down(): Promise<void> {
  throw new Error('0003_customers_and_events cannot be reverted; restore a backup instead');
}
