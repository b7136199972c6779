// The inbox's own reads (docs/inbox.md): the assignee picker's agents, and the chat lists
// through the one chat search engine (chat-search.service.ts), so the inbox cannot show a chat
// list that GET /v1/chats or POST /v1/chats/search would compute differently.
import type { Executor } from '../../db/database.ts';
import { departmentIdsByAgent } from '../agents/agents.repository.ts';
import { CHAT_FIELDS, CUSTOMER_NAME_OR_EMAIL, RECENTLY_UPDATED } from '../chats/chat-search.fields.ts';
import { findChats, type FindOptions } from '../chats/chat-search.service.ts';
import type { Condition } from '../search/filter.ts';
import { presentInboxAgent } from './inbox.presenter.ts';
import { agentsWithLoad } from './inbox.repository.ts';
import type { InboxChatsQuery } from './inbox.schema.ts';

/** GET /v1/inbox/agents: all of them (deactivated too, as GET /v1/agents lists them), by id */
export async function inboxAgents(db: Executor, orgId: number) {
  const rows = await agentsWithLoad(db, orgId);
  const departments = await departmentIdsByAgent(db, orgId, rows.map((r) => r.id));
  return { data: rows.map((r) => presentInboxAgent(r, departments.get(r.id) ?? [])), total: rows.length };
}

/**
 * GET /v1/inbox/chats: the query as search conditions, ANDed. `agentId` is the session's agent
 * (null for an API key, which the schema already refused `view=mine`).
 */
export function inboxChats(db: Executor, orgId: number, agentId: number | null, query: InboxChatsQuery, options: FindOptions) {
  const conditions: Condition[] = [];
  if (query.view === 'mine') conditions.push({ spec: CHAT_FIELDS.assignee!, operator: '=', value: agentId });
  if (query.view === 'unassigned') conditions.push({ spec: CHAT_FIELDS.assignee!, operator: '=', value: null });
  if (query.department !== undefined) conditions.push({ spec: CHAT_FIELDS.department!, operator: '=', value: query.department });
  if (query.status !== undefined) conditions.push({ spec: CHAT_FIELDS.status!, operator: '=', value: query.status });
  if (query.q !== undefined) conditions.push({ spec: CUSTOMER_NAME_OR_EMAIL, operator: '~', value: query.q });
  return findChats(db, orgId, { conditions, comparison: 'AND' }, RECENTLY_UPDATED, query.page, options);
}
