import { sql, type Insertable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { inIdList, isPostgres } from '../../db/dialect.ts';
import { prepared } from '../../db/prepared.ts';
import type { ChatTable } from '../../db/schema.ts';
import type { AgentRefRow } from '../agents/agents.repository.ts';

/** chats with everything the Chat presenter needs but `agents` (also the assignment's read, assignment.repository.ts) */
export function chatViewSelect(db: Executor) {
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
    ]);
}

// The chat view and its agents are read on every chat answer: compiled once (db/prepared.ts).
// The row is found by its id; `+organization_id` scopes it without being a planning input.
// Where ANALYZE has written sqlite_stat4 (better-sqlite3 builds SQLite with STAT4), a bound
// value that can steer an index choice makes SQLite re-plan the statement on every call:
// this join then took 47 µs instead of 10 (bench: the search suite's "analyzed" file).
const chatViewQuery = prepared((db, orgId: number, chatId: number) =>
  chatViewSelect(db).where(sql<number>`+${sql.ref('c.organization_id')}`, '=', orgId).where('c.id', '=', chatId),
);

/** One chat with everything its presenter needs but `agents` (see chatAgents). */
export async function findChatView(db: Executor, orgId: number, chatId: number) {
  return (await chatViewQuery(db, orgId, chatId)).rows[0];
}

export type ChatView = NonNullable<Awaited<ReturnType<typeof findChatView>>>;

const chatAgentsQuery = prepared((db, orgId: number, chatId: number) =>
  db
    .selectFrom('chat_agents as ca')
    .innerJoin('agents as a', 'a.id', 'ca.agent_id')
    .select(['a.id', 'a.name', 'a.email', 'a.role'])
    .where('ca.organization_id', '=', orgId)
    .where('ca.chat_id', '=', chatId)
    .orderBy('ca.created_at')
    .orderBy('a.id'),
);

/** agents who wrote in the chat, in the order they first did */
export async function chatAgents(db: Executor, orgId: number, chatId: number) {
  return (await chatAgentsQuery(db, orgId, chatId)).rows;
}

/**
 * Locks the chat row until the transaction ends, so concurrent read-modify-writes of one chat
 * are serialised (PostgreSQL). On SQLite every write transaction is already exclusive.
 */
export async function lockChat(db: Executor, orgId: number, chatId: number): Promise<void> {
  if (!isPostgres(db)) return;
  await db.selectFrom('chats').select('id').where('organization_id', '=', orgId).where('id', '=', chatId).forUpdate().execute();
}

// A page's views and agents: compiled once, the ids as one JSON-array parameter (inIdList).
// `+organization_id` keeps the organization scope but out of the planner's index choice:
// without statistics SQLite otherwise walks the organization's whole index instead of looking
// up the ids (bench: 130 ms → 2 ms per page). PostgreSQL reads it the same way.
// Its rows are packed (db/sqlite-direct.ts): a chat view holds only integers, text and null.
const chatViewsQuery = prepared(
  (db, idsJson: string, orgId: number) =>
    chatViewSelect(db).where(inIdList(db, 'c.id', idsJson)).where(sql<number>`+${sql.ref('c.organization_id')}`, '=', orgId),
  { packRows: true },
);

// A page's participants in two small reads: who wrote in which chat, then those agents once
// each. A join would read an agent's name, email and role again for every chat they wrote in
// and sort in SQL (bench: 475 → ~300 µs for a page of 100 chats).
const participantsQuery = prepared((db, orgId: number, idsJson: string) =>
  db
    .selectFrom('chat_agents as ca')
    .select(['ca.chat_id', 'ca.agent_id', 'ca.created_at'])
    .where('ca.organization_id', '=', orgId)
    .where(inIdList(db, 'ca.chat_id', idsJson)),
);

// `+organization_id`, as in chatViewsQuery: otherwise SQLite scans the organization's agents
// through its index instead of looking up each id (0.2 ms for 48 agents of a page).
const agentRefsQuery = prepared((db, orgId: number, idsJson: string) =>
  db
    .selectFrom('agents as a')
    .select(['a.id', 'a.name', 'a.email', 'a.role'])
    .where(sql<number>`+${sql.ref('a.organization_id')}`, '=', orgId)
    .where(inIdList(db, 'a.id', idsJson)),
);

/** the views of a page of chats, in the order of `chatIds` */
export async function chatViews(db: Executor, orgId: number, chatIds: number[]): Promise<ChatView[]> {
  if (chatIds.length === 0) return [];
  const { rows } = await chatViewsQuery(db, JSON.stringify(chatIds), orgId);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return chatIds.flatMap((id) => byId.get(id) ?? []);
}

/** agents who wrote in each of the chats, each list in the order they first did */
export async function agentsOfChats(db: Executor, orgId: number, chatIds: number[]) {
  const byChat = new Map<number, AgentRefRow[]>();
  if (chatIds.length === 0) return byChat;
  const { rows: participants } = await participantsQuery(db, orgId, JSON.stringify(chatIds));
  if (participants.length === 0) return byChat;
  const agentIds = [...new Set(participants.map((p) => p.agent_id))];
  const { rows: refs } = await agentRefsQuery(db, orgId, JSON.stringify(agentIds));
  const agents = new Map<number, AgentRefRow>(refs.map((a) => [a.id, a]));
  // within each chat: first writer first, the agent id breaking ties (chatAgents' order)
  participants.sort((x, y) => Number(x.created_at) - Number(y.created_at) || x.agent_id - y.agent_id);
  for (const p of participants) {
    const agent = agents.get(p.agent_id);
    if (!agent) continue; // same organization by the foreign key and the scope: cannot happen
    const list = byChat.get(p.chat_id) ?? [];
    list.push(agent);
    byChat.set(p.chat_id, list);
  }
  return byChat;
}

const writeAssigneeQuery = prepared((db, assigneeId: number | null, at: number, orgId: number, chatId: number) =>
  db.updateTable('chats').set({ assignee_id: assigneeId, updated_at: at }).where('organization_id', '=', orgId).where('id', '=', chatId),
);

/** The only writer of `chats.assignee_id` (DESIGN rule 2: called by assignChat alone). */
export async function writeAssignee(db: Executor, orgId: number, chatId: number, assigneeId: number | null, at: number) {
  await writeAssigneeQuery(db, assigneeId, at, orgId, chatId);
}

export async function chatExists(db: Executor, orgId: number, chatId: number): Promise<boolean> {
  const r = await db.selectFrom('chats').select('id').where('organization_id', '=', orgId).where('id', '=', chatId).executeTakeFirst();
  return r !== undefined;
}

export async function insertChat(db: Executor, row: Omit<Insertable<ChatTable>, 'assignee_id'>): Promise<number> {
  const r = await db.insertInto('chats').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}
