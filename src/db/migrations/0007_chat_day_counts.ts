// Frozen. How many chats each organization has per UTC day of `created_at`, kept exact by
// triggers (issue 3): the total of an unfiltered chat list is a sum over a few hundred rows
// instead of counting a million, and a deep offset in created order starts at the day where
// the running count passes it instead of stepping over every index entry before it.
// The database keeps the count, not the app, so every writer (API, CLI, a cascade from
// deleting a customer or an organization) is counted alike.
// PostgreSQL: an insert updates its organization-day row, so concurrent chat creations in
// one organization on one day queue on that row until commit (milliseconds; accepted). The
// migration's CREATE TRIGGER locks `chats` against writes until it commits, so the backfill
// and the triggers see every chat exactly once.
import { sql, type Kysely, SqliteAdapter } from 'kysely';

/** floor(created_at / 86400) in integer arithmetic both databases share (no float rounding) */
const day = (column: string) => `((${column} - ((${column} % 86400) + 86400) % 86400) / 86400)`;

export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema
    .createTable('chat_day_counts')
    .addColumn('organization_id', 'integer', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    /** UTC day number: created_at of its chats is in [day * 86400, (day + 1) * 86400) */
    .addColumn('day', 'bigint', (c) => c.notNull())
    .addColumn('chats', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('chat_day_counts_pk', ['organization_id', 'day'])
    .execute();

  const add = (o: string) =>
    `insert into chat_day_counts as d (organization_id, day, chats) values (${o}.organization_id, ${day(`${o}.created_at`)}, 1)
       on conflict (organization_id, day) do update set chats = d.chats + 1`;
  const remove = (o: string) =>
    `update chat_day_counts set chats = chats - 1 where organization_id = ${o}.organization_id and day = ${day(`${o}.created_at`)}`;
  const moved = `old.organization_id <> new.organization_id or ${day('old.created_at')} <> ${day('new.created_at')}`;

  if (sqlite) {
    await sql.raw(`create trigger chat_day_counts_insert after insert on chats begin ${add('new')}; end`).execute(db);
    await sql.raw(`create trigger chat_day_counts_delete after delete on chats begin ${remove('old')}; end`).execute(db);
    await sql.raw(`create trigger chat_day_counts_update after update of organization_id, created_at on chats
      when ${moved} begin ${remove('old')}; ${add('new')}; end`).execute(db);
  } else {
    // `set search_path from current`: the function finds chat_day_counts in the schema it was
    // created in, whatever the session's search_path is when a chat is written.
    await sql.raw(`create function chat_day_counts_track() returns trigger language plpgsql set search_path from current as $$
      begin
        if tg_op <> 'INSERT' then ${remove('old')}; end if;
        if tg_op <> 'DELETE' then ${add('new')}; end if;
        return null;
      end $$`).execute(db);
    await sql.raw(`create trigger chat_day_counts_insert_delete after insert or delete on chats
      for each row execute function chat_day_counts_track()`).execute(db);
    await sql.raw(`create trigger chat_day_counts_update after update of organization_id, created_at on chats
      for each row when (${moved}) execute function chat_day_counts_track()`).execute(db);
  }
  await sql.raw(`insert into chat_day_counts (organization_id, day, chats)
    select organization_id, ${day('created_at')}, count(*) from chats group by organization_id, ${day('created_at')}`).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0007_chat_day_counts cannot be reverted; restore a backup instead');
}
