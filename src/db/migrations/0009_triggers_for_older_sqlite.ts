// Frozen. The count triggers of 0007 and 0008 wrote their upserts as `insert into t as alias`,
// which SQLite's own command-line shell before 3.4x cannot parse (Debian's 3.40: "malformed
// database schema"), so operators could not open the file with it — not even to run the
// README's maintenance commands. The same triggers without the alias (an upsert's DO UPDATE
// names the existing row's columns unqualified). PostgreSQL's are functions: unchanged.
import { sql, type Kysely, SqliteAdapter } from 'kysely';

/** floor(created_at / 86400), as 0007 computes it */
const day = (column: string) => `((${column} - ((${column} % 86400) + 86400) % 86400) / 86400)`;

export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  const addDay = `insert into chat_day_counts (organization_id, day, chats) values (new.organization_id, ${day('new.created_at')}, 1)
       on conflict (organization_id, day) do update set chats = chats + 1`;
  const removeDay = `update chat_day_counts set chats = chats - 1 where organization_id = old.organization_id and day = ${day('old.created_at')}`;
  const movedDay = `old.organization_id <> new.organization_id or ${day('old.created_at')} <> ${day('new.created_at')}`;
  const addCustomer = `insert into customer_chat_counts (customer_id, chats) values (new.customer_id, 1)
       on conflict (customer_id) do update set chats = chats + 1`;
  const removeCustomer = `update customer_chat_counts set chats = chats - 1 where customer_id = old.customer_id`;
  for (const name of ['chat_day_counts_insert', 'chat_day_counts_update', 'customer_chat_counts_insert', 'customer_chat_counts_update']) {
    await sql.raw(`drop trigger ${name}`).execute(db);
  }
  await sql.raw(`create trigger chat_day_counts_insert after insert on chats begin ${addDay}; end`).execute(db);
  await sql.raw(`create trigger chat_day_counts_update after update of organization_id, created_at on chats
      when ${movedDay} begin ${removeDay}; ${addDay}; end`).execute(db);
  await sql.raw(`create trigger customer_chat_counts_insert after insert on chats begin ${addCustomer}; end`).execute(db);
  await sql.raw(`create trigger customer_chat_counts_update after update of customer_id on chats
      when old.customer_id <> new.customer_id begin ${removeCustomer}; ${addCustomer}; end`).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0009_triggers_for_older_sqlite cannot be reverted; restore a backup instead');
}
