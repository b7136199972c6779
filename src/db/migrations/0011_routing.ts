// Frozen. Routing and presence (issue 13, API.md §4.7): policies per department with an
// organization default, a capacity per agent, the queue of chats waiting for an agent, and the
// routing jobs (timers included) that survive a restart and run once across instances.
// Imports nothing of the app; portable DDL.
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

  // One row per organization (department_id 0: its default) and per department that has its own
  // policy; a missing row means the defaults of API.md §4.7. 0 rather than null so the primary
  // key is one plain key on both databases (null is never equal to null in a unique index).
  await db.schema
    .createTable('routing_policies')
    .$call(org)
    .addColumn('department_id', 'integer', (c) => c.notNull())
    .addColumn('strategy', 'text', (c) => c.notNull())
    .addColumn('capacity', 'integer')
    .addColumn('online_only', 'integer', (c) => c.notNull())
    .addColumn('sticky', 'integer', (c) => c.notNull())
    .addColumn('reassign_after_minutes', 'integer')
    .addColumn('offline_grace_minutes', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('routing_policies_pk', ['organization_id', 'department_id'])
    .execute();

  // An agent's own capacity (null = the policy's), and the order round robin takes agents in:
  // the sequence number of the agent's last automatic assignment (null = never routed to).
  await db.schema.alterTable('agents').addColumn('capacity', 'integer').execute();
  await db.schema.alterTable('agents').addColumn('last_routed_seq', 'bigint').execute();

  // The queue: set when routing found nobody for the chat, cleared when it gets an assignee or
  // closes; oldest first. The partial index holds only waiting chats, so it stays small.
  await db.schema.alterTable('chats').addColumn('queued_at', 'bigint').execute();
  await db.schema
    .createIndex('chats_queue')
    .on('chats')
    .columns(['organization_id', 'queued_at', 'id'])
    .where(sql.ref('queued_at'), 'is not', null)
    .execute();

  // Work routing owes, each due at a time: route a chat, drain a queue, the no-reply and
  // offline-grace timers. `job_key` makes a job idempotent (one no-reply timer per chat, one
  // grace timer per agent…): scheduling it again moves its time instead of adding a second.
  // A job is deleted in the transaction that does its work, so it runs once however many
  // instances poll, and a job due while every instance was down runs after the restart.
  await withId(db.schema.createTable('routing_jobs'))
    .$call(org)
    .addColumn('job_key', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('chat_id', 'integer', (c) => c.references('chats.id').onDelete('cascade'))
    .addColumn('agent_id', 'integer', (c) => c.references('agents.id').onDelete('cascade'))
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('routing_jobs_due').on('routing_jobs').columns(['due_at', 'id']).execute();

  // An agent's load (open chats) is counted at every routing decision: this index holds only
  // assigned chats that are not closed, so the count reads those and never the closed history.
  await db.schema
    .createIndex('chats_open_by_assignee')
    .on('chats')
    .columns(['organization_id', 'assignee_id'])
    .where((eb) => eb.and([eb(sql.ref('assignee_id'), 'is not', null), eb(sql.ref('status'), '<>', sql.lit('closed'))]))
    .execute();

  // Agents who had a chat and let the no-reply time pass: routing does not offer it to them again.
  await db.schema
    .createTable('chat_routing_tries')
    .$call(org)
    .addColumn('chat_id', 'integer', (c) => c.notNull().references('chats.id').onDelete('cascade'))
    .addColumn('agent_id', 'integer', (c) => c.notNull().references('agents.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('chat_routing_tries_pk', ['chat_id', 'agent_id'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('0011_routing cannot be reverted; restore a backup instead');
}
