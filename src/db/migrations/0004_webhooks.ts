// Frozen. Webhook subscriptions, the delivery queue and its attempt log (issue 6, API.md §4.5,
// §4.6, §4.8). Imports nothing of the app; one dialect branch (how the outbox flag gets its
// default without rewriting PostgreSQL's table), otherwise portable DDL.
import { sql, type Kysely, type CreateTableBuilder, SqliteAdapter } from 'kysely';

type Table = CreateTableBuilder<string, any>;

export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const withId = (t: Table): Table =>
    sqlite
      ? t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      : t.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity());
  const org = (t: Table): Table =>
    t.addColumn('organization_id', 'integer', (c) => c.notNull().references('organizations.id').onDelete('cascade'));

  // 1 until the delivery worker has fanned the event out to the subscriptions: a flag on the row
  // (not a cursor of positions) because on PostgreSQL a lower position can commit after a higher
  // one, and a cursor would skip it. New rows get 1 from the default, so outbox.ts is unchanged;
  // rows written before this migration had no subscription to go to and get 0.
  if (sqlite) {
    await db.schema.alterTable('outbox').addColumn('webhook_pending', 'integer', (c) => c.notNull().defaultTo(1)).execute();
    await db.updateTable('outbox').set({ webhook_pending: 0 }).execute();
  } else {
    // PostgreSQL fills an added column's constant default without a rewrite; changing the
    // default afterwards touches only the catalogue.
    await db.schema.alterTable('outbox').addColumn('webhook_pending', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await sql`alter table outbox alter column webhook_pending set default 1`.execute(db);
  }
  await db.schema.createIndex('outbox_webhook_pending').on('outbox').column('id').where(sql.ref('webhook_pending'), '=', 1).execute();

  await withId(db.schema.createTable('webhooks'))
    .$call(org)
    .addColumn('url', 'text', (c) => c.notNull())
    /** JSON array of event names, or ["*"] */
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('disabled_at', 'bigint')
    .addColumn('disabled_reason', 'text')
    .execute();
  await db.schema.createIndex('webhooks_org').on('webhooks').columns(['organization_id', 'id']).execute();

  // One row per (subscription, event): the queue the workers claim from.
  await withId(db.schema.createTable('webhook_deliveries'))
    .$call(org)
    .addColumn('webhook_id', 'integer', (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
    .addColumn('outbox_id', 'integer', (c) => c.notNull().references('outbox.id').onDelete('cascade'))
    .addColumn('chat_id', 'integer')
    /** pending | delivered | failed (gave up) | cancelled (subscription disabled) */
    .addColumn('status', 'text', (c) => c.notNull())
    /** 1 while an earlier event of the same chat to the same subscription is still pending */
    .addColumn('held', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('last_attempt_at', 'bigint')
    /** a claim: no other worker takes the row before this time (0 = unclaimed) */
    .addColumn('lease_until', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_owner', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('webhook_deliveries_once', ['webhook_id', 'outbox_id'])
    .execute();
  const status = sql.ref('status');
  // what a worker may claim: pending, not waiting behind its chat, oldest due first
  await db.schema
    .createIndex('webhook_deliveries_due')
    .on('webhook_deliveries')
    .columns(['next_attempt_at', 'id'])
    .where(status, '=', 'pending')
    .where(sql.ref('held'), '=', 0)
    .execute();
  // the next pending delivery of a chat to a subscription (per-chat order)
  await db.schema
    .createIndex('webhook_deliveries_chat')
    .on('webhook_deliveries')
    .columns(['webhook_id', 'chat_id', 'outbox_id'])
    .where(status, '=', 'pending')
    .execute();

  // The log: one row per attempt, the next one written as `pending` when it is scheduled.
  await withId(db.schema.createTable('webhook_attempts'))
    .$call(org)
    .addColumn('webhook_id', 'integer', (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
    .addColumn('delivery_id', 'integer', (c) => c.notNull().references('webhook_deliveries.id').onDelete('cascade'))
    .addColumn('outbox_id', 'integer', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    /** pending | delivered | failed | blocked */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('response_code', 'integer')
    .addColumn('duration_ms', 'integer')
    .addColumn('error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhook_attempts_list').on('webhook_attempts').columns(['webhook_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('webhook_attempts_delivery').on('webhook_attempts').columns(['delivery_id', 'attempt']).execute();
}

export async function down(): Promise<void> {
  throw new Error('0004_webhooks cannot be reverted; restore a backup instead');
}
