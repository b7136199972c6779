// All SQL about messages and the chat columns a message moves (DESIGN rule 5): every query is
// scoped by organization id. Posting and reading messages are hot paths, so each query has one
// fixed shape and is compiled once (db/prepared.ts).
import type { Executor, Trx } from '../../db/database.ts';
import { prepared } from '../../db/prepared.ts';
import type { ChatStatus, Flag } from '../../db/schema.ts';
import type { Page } from '../../input/pagination.ts';
import type { MessageView } from './messages.presenter.ts';

const insertMessageQuery = prepared(
  (db, orgId: number, chatId: number, agentId: number | null, type: string, text: string, markdown: string | null, from: string, at: number) =>
    db
      .insertInto('messages')
      .values({
        organization_id: orgId,
        chat_id: chatId,
        agent_id: agentId,
        type,
        text,
        markdown_text: markdown,
        from: from as MessageView['from'],
        read: 0,
        edited: 0,
        broadcast_type: null,
        created_at: at,
        updated_at: at,
      })
      .returning('id'),
);

export interface NewMessage {
  orgId: number;
  chatId: number;
  agentId: number | null;
  type: string;
  text: string;
  markdownText: string | null;
  from: MessageView['from'];
  at: number;
}

export async function insertMessage(trx: Trx, m: NewMessage): Promise<number> {
  const r = await insertMessageQuery(trx, m.orgId, m.chatId, m.agentId, m.type, m.text, m.markdownText, m.from, m.at);
  return r.rows[0].id;
}

/** The chat columns a message can move; written whole, so the update has one shape. */
export interface ChatMessageState {
  status: ChatStatus;
  closed_at: number | null;
  closed_by: 'customer' | 'agent' | null;
  last_message_at: number | null;
  last_message_text: string | null;
  last_message_id: number | null;
  last_customer_message_at: number | null;
  last_communicated_agent_id: number | null;
  read_by_agent: Flag;
  read_by_customer: Flag;
  updated_at: number;
}

const writeChatStateQuery = prepared(
  (
    db,
    status: string,
    closedAt: number | null,
    closedBy: string | null,
    lastAt: number | null,
    lastText: string | null,
    lastId: number | null,
    lastCustomerAt: number | null,
    lastAgentId: number | null,
    readByAgent: number,
    readByCustomer: number,
    updatedAt: number,
    orgId: number,
    chatId: number,
  ) =>
    db
      .updateTable('chats')
      .set({
        status: status as ChatStatus,
        closed_at: closedAt,
        closed_by: closedBy as ChatMessageState['closed_by'],
        last_message_at: lastAt,
        last_message_text: lastText,
        last_message_id: lastId,
        last_customer_message_at: lastCustomerAt,
        last_communicated_agent_id: lastAgentId,
        read_by_agent: readByAgent as Flag,
        read_by_customer: readByCustomer as Flag,
        updated_at: updatedAt,
      })
      .where('organization_id', '=', orgId)
      .where('id', '=', chatId),
);

export async function writeChatMessageState(trx: Trx, orgId: number, chatId: number, s: ChatMessageState): Promise<void> {
  await writeChatStateQuery(
    trx,
    s.status,
    s.closed_at,
    s.closed_by,
    s.last_message_at,
    s.last_message_text,
    s.last_message_id,
    s.last_customer_message_at,
    s.last_communicated_agent_id,
    s.read_by_agent,
    s.read_by_customer,
    s.updated_at,
    orgId,
    chatId,
  );
}

// The first message of an agent in a chat adds them to Chat.agents; later ones change nothing
// (the row's created_at keeps the order in which agents first wrote).
const addChatAgentQuery = prepared((db, orgId: number, chatId: number, agentId: number, at: number) =>
  db
    .insertInto('chat_agents')
    .values({ organization_id: orgId, chat_id: chatId, agent_id: agentId, created_at: at })
    .onConflict((oc) => oc.columns(['chat_id', 'agent_id']).doNothing()),
);

export async function addChatAgent(trx: Trx, orgId: number, chatId: number, agentId: number, at: number): Promise<void> {
  await addChatAgentQuery(trx, orgId, chatId, agentId, at);
}

// Newest first, ties by id in the same direction (API.md §5); served by the
// messages_chat_created (chat_id, created_at, id) index.
const listMessagesQuery = prepared((db, orgId: number, chatId: number, limit: number, offset: number) =>
  db
    .selectFrom('messages as m')
    .leftJoin('agents as a', 'a.id', 'm.agent_id')
    .select([
      'm.id',
      'm.chat_id',
      'm.agent_id',
      'a.name as agent_name',
      'a.email as agent_email',
      'a.role as agent_role',
      'm.type',
      'm.text',
      'm.markdown_text',
      'm.from',
      'm.read',
      'm.edited',
      'm.broadcast_type',
      'm.created_at',
      'm.updated_at',
    ])
    .where('m.organization_id', '=', orgId)
    .where('m.chat_id', '=', chatId)
    .orderBy('m.created_at', 'desc')
    .orderBy('m.id', 'desc')
    .limit(limit)
    .offset(offset),
);

export async function listMessages(db: Executor, orgId: number, chatId: number, page: Page): Promise<MessageView[]> {
  return (await listMessagesQuery(db, orgId, chatId, page.limit, page.offset)).rows;
}

const countMessagesQuery = prepared((db, orgId: number, chatId: number) =>
  db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organization_id', '=', orgId)
    .where('chat_id', '=', chatId),
);

export async function countMessages(db: Executor, orgId: number, chatId: number): Promise<number> {
  return Number((await countMessagesQuery(db, orgId, chatId)).rows[0].n);
}
