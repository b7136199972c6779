// Presenters are the only code that shapes public JSON (DESIGN rule 3).
import type { AgentRole } from '../../db/schema.ts';
import { timestampOut } from '../../lib/timestamps.ts';
import { agentRefOrNull } from '../agents/agents.presenter.ts';
import type { Chat } from '../chats/chats.presenter.ts';

/** a message row joined with its agent (null for a customer's message) */
export interface MessageView {
  id: number;
  chat_id: number;
  agent_id: number | null;
  agent_name: string | null;
  agent_email: string | null;
  agent_role: AgentRole | null;
  type: string;
  text: string;
  markdown_text: string | null;
  from: 'agent' | 'customer';
  read: number;
  edited: number;
  broadcast_type: string | null;
  created_at: number;
  updated_at: number;
}

/**
 * Message, key order of API.md §3. HelpCrunch's reference answers a message posted with
 * `markdownText` with that markdown as its `text` (and has no `markdownText` key): both are
 * stored, the markdown is shown.
 */
export function presentMessage(m: MessageView) {
  return {
    id: m.id,
    agent: agentRefOrNull(m.agent_id, m.agent_name, m.agent_email, m.agent_role),
    type: m.type,
    text: shownText(m.text, m.markdown_text),
    read: m.read === 1,
    createdAt: timestampOut(m.created_at),
    updatedAt: timestampOut(m.updated_at),
    edited: m.edited === 1,
    broadcastType: m.broadcast_type,
    chat: m.chat_id,
    from: m.from,
  };
}

export type Message = ReturnType<typeof presentMessage>;

/** a message's text as the API shows it, also as its chat's `lastMessageText` */
export const shownText = (text: string, markdownText: string | null): string => markdownText ?? text;

/**
 * `eventData` of the message.* outbox events (API.md §4.5: `message.chat.customer`,
 * `message.chat.agent`, `message.private`): the message and its chat as it is after it.
 */
export const messageEventData = (message: Message, chat: Chat) => ({ message, chat });
