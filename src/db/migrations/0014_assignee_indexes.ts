// Frozen. Chat indexes an assignment does not have to rewrite (issue 17). An UPDATE rewrites
// every index holding a column it changes, and an assignment changes `assignee_id`, which sat
// in three: (organization, assignee, created) for "an agent's chats", (organization, status,
// assignee, created) for "unassigned new chats" and status filters, and 0011's partial index
// of open chats by assignee, whose load count agents.open_chats (0012) now keeps. Now:
//  - chats_assigned: an agent's chats in created order, assigned chats only, with their status
//    so "this agent's open chats" is counted from the index alone;
//  - chats_unassigned: the unassigned chats by status in created order ("unassigned new,
//    newest first" and its total read it alone; `assignee_id`, always null here, is in it
//    because SQLite reads the chat to test a partial index's condition otherwise);
//  - chats_org_status: any status filter in created order; no assignee in it at all.
// Moving a chat from one agent to another rewrites one index; taking it from nobody or
// giving it back, the two partial ones. Portable DDL: both databases take partial indexes.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const assignee = sql.ref('assignee_id');
  await db.schema
    .createIndex('chats_assigned')
    .on('chats')
    .columns(['organization_id', 'assignee_id', 'created_at', 'id', 'status'])
    .where(assignee, 'is not', null)
    .execute();
  await db.schema
    .createIndex('chats_unassigned')
    .on('chats')
    .columns(['organization_id', 'status', 'created_at', 'id', 'assignee_id'])
    .where(assignee, 'is', null)
    .execute();
  await db.schema.createIndex('chats_org_status').on('chats').columns(['organization_id', 'status', 'created_at', 'id']).execute();
  for (const name of ['chats_org_assignee', 'chats_org_status_assignee', 'chats_open_by_assignee']) await db.schema.dropIndex(name).execute();
}

export async function down(): Promise<void> {
  throw new Error('0014_assignee_indexes cannot be reverted; restore a backup instead');
}
