// Frozen. Indexes for the chat lists and searches of API.md §4.1 (issue 3) and the snooze
// wake-up job. Plain CREATE INDEX (with a partial index's WHERE) is accepted by both databases.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const index = (name: string, table: string, columns: string[]) => db.schema.createIndex(name).on(table).columns(columns).execute();
  // "unassigned new chats, newest first" and any status (+ assignee) filter in created order
  await index('chats_org_status_assignee', 'chats', ['organization_id', 'status', 'assignee_id', 'created_at']);
  // the other sort keys of GET /v1/chats
  await index('chats_org_last_message', 'chats', ['organization_id', 'last_message_at']);
  await index('chats_org_last_customer_message', 'chats', ['organization_id', 'last_customer_message_at']);
  await index('chats_org_closed', 'chats', ['organization_id', 'closed_at']);
  // chats.agents = X (chats an agent wrote in)
  await index('chat_agents_agent', 'chat_agents', ['agent_id', 'chat_id']);
  // chats.customer.email / userId = X
  await index('customers_org_email', 'customers', ['organization_id', 'email']);
  // the snooze wake-up job reads only snoozed chats
  await db.schema.createIndex('chats_snoozed').on('chats').column('snoozed_until').where(sql.ref('snoozed_until'), 'is not', null).execute();
}

export async function down(): Promise<void> {
  throw new Error('0002_chat_search_indexes cannot be reverted; restore a backup instead');
}
