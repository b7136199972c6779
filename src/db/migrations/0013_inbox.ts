// Frozen. The operator inbox (issue 14, docs/inbox.md): agents' passwords, their sign-in
// sessions, failed sign-ins counted for the rate limit, the organization's reassignment setting,
// and the open inbox pages that keep an agent's presence fresh. Imports nothing of the app;
// portable DDL.
import { type Kysely, type CreateTableBuilder, SqliteAdapter } from 'kysely';

type Table = CreateTableBuilder<string, any>;

export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const withId = (t: Table): Table =>
    sqlite
      ? t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      : t.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity());
  const org = (t: Table): Table =>
    t.addColumn('organization_id', 'integer', (c) => c.notNull().references('organizations.id').onDelete('cascade'));
  const agent = (t: Table): Table =>
    t.addColumn('agent_id', 'integer', (c) => c.notNull().references('agents.id').onDelete('cascade'));

  // scrypt, as `scrypt$N$r$p$salt$hash` (base64url): the parameters travel with the hash so they
  // can be raised later without invalidating older passwords. null = cannot sign in.
  await db.schema.alterTable('agents').addColumn('password_hash', 'text').execute();
  // May a plain agent reassign another agent's chat (docs/inbox.md, "Who may do what")?
  await db.schema.alterTable('organizations').addColumn('agents_may_reassign', 'integer', (c) => c.notNull().defaultTo(0)).execute();

  // A session is found by the SHA-256 of its cookie (the token itself is never stored); `id`
  // is what an admin lists and revokes. Sliding expiry: expires_at moves with last_seen_at.
  await withId(db.schema.createTable('agent_sessions'))
    .$call(org)
    .$call(agent)
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('user_agent', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('agent_sessions_by_org').on('agent_sessions').columns(['organization_id', 'id']).execute();
  await db.schema.createIndex('agent_sessions_by_agent').on('agent_sessions').columns(['agent_id']).execute();

  // Failed sign-ins per account (`email:…`) and per client address (`address:…`) in a fixed
  // window; kept in the database so every instance counts the same failures.
  await db.schema
    .createTable('sign_in_failures')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .execute();

  // One row per open inbox page (its live stream), refreshed while it is open, on whichever
  // instance holds it: when an agent has none left, the agent goes offline.
  await db.schema
    .createTable('inbox_pages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .$call(org)
    .$call(agent)
    .addColumn('seen_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('inbox_pages_by_agent').on('inbox_pages').columns(['agent_id', 'seen_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('0013_inbox cannot be reverted; restore a backup instead');
}
