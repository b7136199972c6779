// Message use cases: posting one (API.md §4.4) and reading a chat's messages (API.md §4.1).
import { chatWaiting } from '../../assignment/routing/triggers.ts';
import { assignable } from '../../assignment/assignable.ts';
import type { Database, Executor } from '../../db/database.ts';
import { Invalid, NotFound } from '../../errors.ts';
import type { EventName } from '../../events/names.ts';
import { appendEvent } from '../../events/outbox.ts';
import type { Page } from '../../input/pagination.ts';
import type { Clock } from '../../lib/clock.ts';
import { appendChatEvents } from '../chats/chat-changes.service.ts';
import { readChat } from '../chats/chat-reader.ts';
import { chatExists, findChatView, lockChat } from '../chats/chats.repository.ts';
import { chatAfterMessage } from './chat-after-message.ts';
import { messageEventData, presentMessage, shownText, type Message } from './messages.presenter.ts';
import { addChatAgent, countMessages, insertMessage, listMessages, writeChatMessageState } from './messages.repository.ts';
import type { CreateMessageInput } from './messages.schema.ts';

/**
 * POST /v1/messages: in one transaction the message is written, its chat follows (last
 * message, read flags, status, agents) and the outbox gets the message event plus
 * `chat.status_updated` when the status moved (DESIGN rule 7).
 */
export function postMessage(database: Database, clock: Clock, orgId: number, input: CreateMessageInput): Promise<Message> {
  return database.write(async (trx) => {
    // Order of checks, API.md §5: the chat (404, the single-item not_fount) → the agent (400).
    // The chat's next state is computed from this read, so the row is locked first: concurrent
    // messages (and status changes) of one chat serialise instead of losing an update.
    await lockChat(trx, orgId, input.chat);
    const chat = await findChatView(trx, orgId, input.chat);
    if (!chat) throw new NotFound('Chat', input.chat, 'body');
    let agent = null;
    if (input.agent !== undefined) {
      // the same rule and wording as for an assignee: unknown, foreign or deactivated → 400
      const check = await assignable(trx, orgId, input.agent);
      if (!check.ok) throw Invalid.field('agent', check.reason);
      agent = check.agent;
    }

    const at = clock.now();
    // A private note is the team's, never the customer's (the customer never sees it): without
    // an `agent` it is written by nobody in particular, `agent: null` with `from: "agent"`.
    const from = agent || input.type === 'private' ? 'agent' : 'customer';
    const row = { orgId, chatId: chat.id, agentId: agent?.id ?? null, type: input.type, text: input.text, from, at } as const;
    const id = await insertMessage(trx, { ...row, markdownText: input.markdownText ?? null });
    // the chat's lastMessageText is the last message's `text` as the API shows it
    const next = chatAfterMessage(chat, { ...row, id, text: shownText(input.text, input.markdownText ?? null) });
    await writeChatMessageState(trx, orgId, chat.id, next);
    if (agent && input.type === 'message') await addChatAgent(trx, orgId, chat.id, agent.id, at);

    const message = presentMessage({
      id,
      chat_id: chat.id,
      agent_id: agent?.id ?? null,
      agent_name: agent?.name ?? null,
      agent_email: agent?.email ?? null,
      agent_role: agent?.role ?? null,
      type: input.type,
      text: input.text,
      markdown_text: input.markdownText ?? null,
      from,
      read: 0,
      edited: 0,
      broadcast_type: null,
      created_at: at,
      updated_at: at,
    });
    const after = await readChat(trx, orgId, chat.id);
    await appendEvent(trx, { orgId, event: messageEvent(input.type, from), chatId: chat.id, eventData: messageEventData(message, after), createdAt: at });
    // the same `chat.status_updated` as PUT /v1/chats/status writes: {chat} after the change
    if (next.status !== chat.status) await appendChatEvents(trx, orgId, after, ['chat.status_updated'], at);
    // A customer writing to a chat nobody has (its first message, or reopening it) waits for routing.
    if (from === 'customer' && chat.assignee_id === null && chat.queued_at === null) {
      await chatWaiting(trx, at, { orgId, chatId: chat.id, departmentId: chat.department_id, status: next.status });
    }
    return message;
  });
}

/** API.md §4.5 names one event per kind of message */
function messageEvent(type: CreateMessageInput['type'], from: 'agent' | 'customer'): EventName {
  if (type === 'private') return 'message.private';
  return from === 'agent' ? 'message.chat.agent' : 'message.chat.customer';
}

/** GET /v1/chats/{id}/messages: newest first; an unknown or foreign chat is the general 404. */
export async function chatMessages(db: Executor, orgId: number, chatId: number, page: Page) {
  if (!(await chatExists(db, orgId, chatId))) throw new NotFound('Chat', chatId);
  const [rows, total] = await Promise.all([listMessages(db, orgId, chatId, page), countMessages(db, orgId, chatId)]);
  return { data: rows.map(presentMessage), total };
}
