import type { Insertable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { ChatTable } from '../../db/schema.ts';

/** One chat with everything its presenter needs but `agents` (see chatAgents). */
export function findChatView(db: Executor, orgId: number, chatId: number) {
  return db
    .selectFrom('chats as c')
    .innerJoin('customers as cu', 'cu.id', 'c.customer_id')
    .leftJoin('agents as a', 'a.id', 'c.assignee_id')
    .leftJoin('departments as d', 'd.id', 'c.department_id')
    .selectAll('c')
    .select([
      'cu.name as customer_name',
      'cu.email as customer_email',
      'cu.user_id as customer_user_id',
      'a.name as assignee_name',
      'a.email as assignee_email',
      'a.role as assignee_role',
      'd.name as department_name',
    ])
    .where('c.organization_id', '=', orgId)
    .where('c.id', '=', chatId)
    .executeTakeFirst();
}

export type ChatView = NonNullable<Awaited<ReturnType<typeof findChatView>>>;

/** agents who wrote in each chat, in the order they first did */
export function chatAgents(db: Executor, orgId: number, chatIds: number[]) {
  return db
    .selectFrom('chat_agents as ca')
    .innerJoin('agents as a', 'a.id', 'ca.agent_id')
    .select(['ca.chat_id', 'a.id', 'a.name', 'a.email', 'a.role'])
    .where('ca.organization_id', '=', orgId)
    .where('ca.chat_id', 'in', chatIds)
    .orderBy('ca.created_at')
    .orderBy('a.id')
    .execute();
}

/** the current assignee, read inside the assigning transaction */
export function findChatAssignee(db: Executor, orgId: number, chatId: number) {
  return db
    .selectFrom('chats')
    .select(['id', 'assignee_id'])
    .where('organization_id', '=', orgId)
    .where('id', '=', chatId)
    .executeTakeFirst();
}

/** The only writer of `chats.assignee_id` (DESIGN rule 2: called by assignChat alone). */
export async function writeAssignee(db: Executor, orgId: number, chatId: number, assigneeId: number | null, at: number) {
  await db
    .updateTable('chats')
    .set({ assignee_id: assigneeId, updated_at: at })
    .where('organization_id', '=', orgId)
    .where('id', '=', chatId)
    .execute();
}

export async function insertChat(db: Executor, row: Omit<Insertable<ChatTable>, 'assignee_id'>): Promise<number> {
  const r = await db.insertInto('chats').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}
