// Frozen. Each agent's open chats (assigned, not closed), kept on the agent's row by triggers:
// routing compares it with the capacity at every decision. Counting instead cost 7 ms per
// decision session with 15,000 open chats (routing bench), paid by every new chat's drain.
// The database keeps the count, not the app, so every writer (assignChat, a status change, a
// customer deleted with their chats, the CLI, the sqlite3 shell) is counted alike.
// PostgreSQL: the migration's CREATE TRIGGER locks `chats` against writes until it commits, so
// the backfill and the triggers see every chat exactly once.
import { sql, type Kysely, SqliteAdapter } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema.alterTable('agents').addColumn('open_chats', 'integer', (c) => c.notNull().defaultTo(0)).execute();

  const open = (o: string) => `${o}.assignee_id is not null and ${o}.status <> 'closed'`;
  const add = `update agents set open_chats = open_chats + 1 where id = new.assignee_id`;
  const remove = `update agents set open_chats = open_chats - 1 where id = old.assignee_id`;
  // an update matters when the chat changes hands or opens/closes
  const changed = `old.assignee_id is not new.assignee_id or (old.status = 'closed') <> (new.status = 'closed')`;

  if (sqlite) {
    await sql.raw(`create trigger agent_open_chats_insert after insert on chats when ${open('new')} begin ${add}; end`).execute(db);
    await sql.raw(`create trigger agent_open_chats_delete after delete on chats when ${open('old')} begin ${remove}; end`).execute(db);
    await sql.raw(`create trigger agent_open_chats_update after update of assignee_id, status on chats when ${changed}
      begin ${remove} and ${open('old')}; ${add} and ${open('new')}; end`).execute(db);
  } else {
    // `set search_path from current`: the function finds `agents` in the schema it was created
    // in, whatever the session's search_path is when a chat is written.
    // A change of hands touches two agents: their rows are locked in id order first, so two
    // chats moving between the same two agents in opposite directions cannot deadlock. NO KEY
    // UPDATE, the lock the count's own UPDATE takes: the KEY SHARE locks other transactions hold
    // on these rows for their foreign keys (chats.assignee_id, assignments) do not wait for it.
    await sql.raw(`create function agent_open_chats_track() returns trigger language plpgsql set search_path from current as $$
      begin
        if tg_op = 'UPDATE' then
          perform 1 from agents where id in (old.assignee_id, new.assignee_id) order by id for no key update;
        end if;
        if tg_op <> 'INSERT' and ${open('old')} then ${remove}; end if;
        if tg_op <> 'DELETE' and ${open('new')} then ${add}; end if;
        return null;
      end $$`).execute(db);
    await sql.raw(`create trigger agent_open_chats_insert_delete after insert or delete on chats
      for each row execute function agent_open_chats_track()`).execute(db);
    await sql.raw(`create trigger agent_open_chats_update after update of assignee_id, status on chats
      for each row when (${changed.replace('is not new.assignee_id', 'is distinct from new.assignee_id')}) execute function agent_open_chats_track()`).execute(db);
  }
  await sql.raw(`update agents set open_chats = (select count(*) from chats c
    where c.assignee_id = agents.id and c.status <> 'closed')`).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0012_agent_open_chats cannot be reverted; restore a backup instead');
}
