// Frozen. Chat searches on the customer's email or userId (issue 3 (iii): `chats.customer.email
// ~ "gmail"` over a million chats):
//  - customer_chat_counts: each customer's chats, kept exact by triggers, so the total of such a
//    search is a sum over the matching customers instead of counting every matching chat;
//  - SQLite: customer_trigrams, an FTS5 trigram index of lower(email) and lower(user_id), so the
//    matching customers are looked up instead of testing every customer's email;
//  - PostgreSQL: pg_trgm GIN indexes on the same expressions when the extension can be created
//    (it is optional: without it the searches are as before, only slower).
// PostgreSQL: a chat insert updates its customer's count row, so two chats created for one
// customer at the same moment wait on each other's commit (accepted).
import { sql, type Kysely, SqliteAdapter } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema
    .createTable('customer_chat_counts')
    .addColumn('customer_id', 'integer', (c) => c.primaryKey().references('customers.id').onDelete('cascade'))
    .addColumn('chats', 'bigint', (c) => c.notNull())
    .execute();
  const add = (o: string) =>
    `insert into customer_chat_counts as n (customer_id, chats) values (${o}.customer_id, 1)
       on conflict (customer_id) do update set chats = n.chats + 1`;
  const remove = (o: string) => `update customer_chat_counts set chats = chats - 1 where customer_id = ${o}.customer_id`;

  if (sqlite) {
    await sql.raw(`create trigger customer_chat_counts_insert after insert on chats begin ${add('new')}; end`).execute(db);
    await sql.raw(`create trigger customer_chat_counts_delete after delete on chats begin ${remove('old')}; end`).execute(db);
    await sql.raw(`create trigger customer_chat_counts_update after update of customer_id on chats
      when old.customer_id <> new.customer_id begin ${remove('old')}; ${add('new')}; end`).execute(db);
    await trigramsForSqlite(db);
  } else {
    await sql.raw(`create function customer_chat_counts_track() returns trigger language plpgsql set search_path from current as $$
      begin
        if tg_op <> 'INSERT' then ${remove('old')}; end if;
        if tg_op <> 'DELETE' then ${add('new')}; end if;
        return null;
      end $$`).execute(db);
    await sql.raw(`create trigger customer_chat_counts_insert_delete after insert or delete on chats
      for each row execute function customer_chat_counts_track()`).execute(db);
    await sql.raw(`create trigger customer_chat_counts_update after update of customer_id on chats
      for each row when (old.customer_id <> new.customer_id) execute function customer_chat_counts_track()`).execute(db);
    await trigramsForPostgres(db);
  }
  await sql`insert into customer_chat_counts (customer_id, chats) select customer_id, count(*) from chats group by customer_id`.execute(db);
}

/**
 * Contentless (the text is the customers table's): case_sensitive over lower() text, so a
 * trigram phrase is exactly a substring of what `lower(column) like` tests (search/sql.ts).
 */
async function trigramsForSqlite(db: Kysely<any>): Promise<void> {
  await sql`create virtual table customer_trigrams using fts5(email, user_id, content='', contentless_delete=1, tokenize='trigram case_sensitive 1')`.execute(db);
  const index = (o: string) => `insert into customer_trigrams (rowid, email, user_id) values (${o}.id, lower(${o}.email), lower(${o}.user_id))`;
  const unindex = (o: string) => `delete from customer_trigrams where rowid = ${o}.id`;
  await sql.raw(`create trigger customer_trigrams_insert after insert on customers begin ${index('new')}; end`).execute(db);
  await sql.raw(`create trigger customer_trigrams_delete after delete on customers begin ${unindex('old')}; end`).execute(db);
  await sql.raw(`create trigger customer_trigrams_update after update of email, user_id on customers
    begin ${unindex('old')}; ${index('new')}; end`).execute(db);
  await sql`insert into customer_trigrams (rowid, email, user_id) select id, lower(email), lower(user_id) from customers`.execute(db);
}

/**
 * pg_trgm is a trusted extension (PostgreSQL 13+), but a server may lack it or refuse it:
 * tried under a savepoint so a refusal leaves the migration's transaction usable.
 */
async function trigramsForPostgres(db: Kysely<any>): Promise<void> {
  await sql`savepoint pg_trgm`.execute(db);
  try {
    await sql`create extension if not exists pg_trgm with schema public`.execute(db);
    await sql`release savepoint pg_trgm`.execute(db);
  } catch {
    await sql`rollback to savepoint pg_trgm`.execute(db);
    return;
  }
  // wherever it lives (installed earlier into another schema, it stays there)
  const r = await sql<{ schema: string }>`select extnamespace::regnamespace::text as schema from pg_extension where extname = 'pg_trgm'`.execute(db);
  const ops = `${r.rows[0].schema}.gin_trgm_ops`; // regnamespace::text is already quoted where needed
  await sql.raw(`create index customers_email_trigrams on customers using gin (lower(email) ${ops})`).execute(db);
  await sql.raw(`create index customers_user_id_trigrams on customers using gin (lower(user_id) ${ops})`).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0008_customer_search cannot be reverted; restore a backup instead');
}
