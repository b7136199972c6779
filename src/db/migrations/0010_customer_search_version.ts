// Frozen. A version of what a search's total over customer fields (chats.customer.email ~ …)
// reads: the organization's customers' searchable fields and their chat counts. The totals
// cache (modules/search/totals-cache.ts) otherwise forgets every total at any write, and such a
// total costs ~95 ms to count again on a million chats — after every message of a busy desk.
// Triggers keep the version, so every writer (this server, the CLI, the sqlite3 shell) bumps
// it. SQLite only: on PostgreSQL the totals cache is off.
import { sql, type Kysely, SqliteAdapter } from 'kysely';

const BUMP = 'update customer_search_version set version = version + 1 where id = 1';

/** [trigger name, event] */
const TRIGGERS: Array<[string, string]> = [
  ['customers_search_version_insert', 'after insert on customers'],
  ['customers_search_version_delete', 'after delete on customers'],
  ['customers_search_version_update', 'after update of organization_id, email, user_id on customers'],
  // a chat created, deleted or moved to another customer changes these rows (migrations 0008/0009)
  ['customer_chat_counts_search_version_insert', 'after insert on customer_chat_counts'],
  ['customer_chat_counts_search_version_update', 'after update on customer_chat_counts'],
  ['customer_chat_counts_search_version_delete', 'after delete on customer_chat_counts'],
];

export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  await sql`create table customer_search_version (id integer primary key check (id = 1), version integer not null)`.execute(db);
  await sql`insert into customer_search_version (id, version) values (1, 0)`.execute(db);
  for (const [name, event] of TRIGGERS) await sql.raw(`create trigger ${name} ${event} begin ${BUMP}; end`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  for (const [name] of TRIGGERS) await sql.raw(`drop trigger ${name}`).execute(db);
  await sql`drop table customer_search_version`.execute(db);
}
