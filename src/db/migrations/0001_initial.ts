// Frozen: never edit a migration that has shipped; add a new one. Imports nothing of the app.
import { type Kysely, type CreateTableBuilder, SqliteAdapter } from 'kysely';

type Table = CreateTableBuilder<string, any>;

export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  // The one DDL difference between the two databases: how an auto-increment key is spelled.
  const withId = (t: Table): Table =>
    sqlite
      ? t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      : t.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity());
  const org = (t: Table): Table =>
    t.addColumn('organization_id', 'integer', (c) => c.notNull().references('organizations.id').onDelete('cascade'));
  const flag = (name: string, dflt: 0 | 1) => (t: Table): Table =>
    t.addColumn(name, 'integer', (c) => c.notNull().defaultTo(dflt));

  await withId(db.schema.createTable('organizations'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('domain', 'text', (c) => c.notNull())
    .$call(flag('chat_enabled', 1))
    .addColumn('rate_limit_per_minute', 'integer')
    .addColumn('webhook_signing_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await withId(db.schema.createTable('api_keys'))
    .$call(org)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();

  await withId(db.schema.createTable('agents'))
    .$call(org)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .$call(flag('active', 1))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('offline'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('agents_org_email', ['organization_id', 'email'])
    .execute();

  await withId(db.schema.createTable('departments'))
    .$call(org)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('departments_org').on('departments').columns(['organization_id', 'id']).execute();

  await db.schema
    .createTable('department_agents')
    .$call(org)
    .addColumn('department_id', 'integer', (c) => c.notNull().references('departments.id').onDelete('cascade'))
    .addColumn('agent_id', 'integer', (c) => c.notNull().references('agents.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('department_agents_pk', ['department_id', 'agent_id'])
    .execute();
  await db.schema.createIndex('department_agents_agent').on('department_agents').column('agent_id').execute();

  await withId(db.schema.createTable('applications'))
    .$call(org)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .$call(flag('active', 1))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  let customers = withId(db.schema.createTable('customers')).$call(org);
  for (const col of ['name', 'email', 'user_id', 'company', 'phone']) customers = customers.addColumn(col, 'text');
  customers = customers.addColumn('first_seen', 'bigint').addColumn('last_seen', 'bigint');
  for (const col of ['region_code', 'country_code', 'city', 'device']) customers = customers.addColumn(col, 'text');
  customers = customers.$call(flag('unsubscribed', 0)).$call(flag('blocked', 0));
  for (const col of ['source', 'referer', 'last_page', 'locale', 'created_from']) customers = customers.addColumn(col, 'text');
  customers = customers
    .addColumn('integration_id', 'integer')
    .addColumn('notes', 'text')
    .addColumn('custom_data', 'text', (c) => c.notNull().defaultTo('{}'));
  for (const col of ['telegram_id', 'facebook_id', 'instagram_id', 'viber_id', 'whatsapp_id']) {
    customers = customers.addColumn(col, 'text');
  }
  await customers
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('customers_org_user_id', ['organization_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('customer_tags')
    .$call(org)
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('color', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_tags_pk', ['customer_id', 'name'])
    .execute();

  await withId(db.schema.createTable('chats'))
    .$call(org)
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('application_id', 'integer', (c) => c.references('applications.id').onDelete('set null'))
    .addColumn('assignee_id', 'integer', (c) => c.references('agents.id'))
    .addColumn('department_id', 'integer', (c) => c.references('departments.id').onDelete('set null'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('closed_by', 'text')
    .addColumn('closed_at', 'bigint')
    .addColumn('rating', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('last_message_at', 'bigint')
    .addColumn('last_customer_message_at', 'bigint')
    .$call(flag('read_by_agent', 0))
    .$call(flag('read_by_customer', 0))
    .addColumn('created_with', 'text', (c) => c.notNull())
    .addColumn('snoozed_until', 'bigint')
    .addColumn('last_message_text', 'text')
    .addColumn('last_message_id', 'integer')
    .addColumn('last_communicated_agent_id', 'integer')
    .execute();
  await db.schema.createIndex('chats_org_created').on('chats').columns(['organization_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('chats_org_assignee').on('chats').columns(['organization_id', 'assignee_id', 'created_at']).execute();
  await db.schema.createIndex('chats_customer').on('chats').column('customer_id').execute();

  await db.schema
    .createTable('chat_agents')
    .$call(org)
    .addColumn('chat_id', 'integer', (c) => c.notNull().references('chats.id').onDelete('cascade'))
    .addColumn('agent_id', 'integer', (c) => c.notNull().references('agents.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('chat_agents_pk', ['chat_id', 'agent_id'])
    .execute();

  await withId(db.schema.createTable('messages'))
    .$call(org)
    .addColumn('chat_id', 'integer', (c) => c.notNull().references('chats.id').onDelete('cascade'))
    .addColumn('agent_id', 'integer', (c) => c.references('agents.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('markdown_text', 'text')
    .addColumn('from', 'text', (c) => c.notNull())
    .$call(flag('read', 0))
    .$call(flag('edited', 0))
    .addColumn('broadcast_type', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('messages_chat_created').on('messages').columns(['chat_id', 'created_at', 'id']).execute();

  await withId(db.schema.createTable('assignments'))
    .$call(org)
    .addColumn('chat_id', 'integer', (c) => c.notNull().references('chats.id').onDelete('cascade'))
    .addColumn('from_agent_id', 'integer', (c) => c.references('agents.id'))
    .addColumn('to_agent_id', 'integer', (c) => c.references('agents.id'))
    .addColumn('assigned_by_type', 'text', (c) => c.notNull())
    .addColumn('assigned_by_id', 'integer')
    .addColumn('assigned_by_name', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('trace', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('assignments_chat').on('assignments').columns(['chat_id', 'id']).execute();

  await withId(db.schema.createTable('outbox'))
    .$call(org)
    .addColumn('event_id', 'text', (c) => c.notNull().unique())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('chat_id', 'integer')
    .addColumn('event_data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outbox_org').on('outbox').columns(['organization_id', 'id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('0001_initial cannot be reverted; restore a backup instead');
}
