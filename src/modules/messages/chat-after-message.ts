// What a new message does to its chat (API.md §4.4), as a pure function of the chat's current
// state: the use case reads the chat, computes the next state here and writes it whole.
// Cases the contract leaves open are settled here and recorded in docs/compatibility.md.
import type { ChatMessageState } from './messages.repository.ts';

export interface PostedMessage {
  id: number;
  from: 'agent' | 'customer';
  type: 'message' | 'private';
  /** the agent who wrote it; null for the customer, or a private note posted without `agent` */
  agentId: number | null;
  text: string;
  at: number;
}

export function chatAfterMessage(chat: ChatMessageState, m: PostedMessage): ChatMessageState {
  // A private note is invisible to the customer (HelpCrunch): it moves neither the last-message
  // fields, nor the read flags, nor the status; only `updated_at` records the activity.
  if (m.type === 'private') return { ...chat, updated_at: m.at };

  const next: ChatMessageState = {
    ...chat,
    last_message_at: m.at,
    last_message_text: m.text,
    last_message_id: m.id,
    updated_at: m.at,
  };
  if (m.from === 'customer') {
    next.last_customer_message_at = m.at;
    // the customer has seen their own message; the agents have not
    next.read_by_customer = 1;
    next.read_by_agent = 0;
    // A customer writing to an empty or closed chat makes it new. Reopening a closed chat
    // clears closedAt/closedBy (they describe a closing that no longer holds); the rating stays.
    if (chat.status === 'empty' || chat.status === 'closed') {
      next.status = 'new';
      next.closed_at = null;
      next.closed_by = null;
    }
  } else {
    next.last_communicated_agent_id = m.agentId;
    next.read_by_agent = 1;
    next.read_by_customer = 0;
    // An agent's reply takes a new chat, or an empty one the agent writes first, to opened.
    // Other statuses (pending, onhold, no communication, closed) are the agents' own choice
    // and stay as they are.
    if (chat.status === 'new' || chat.status === 'empty') next.status = 'opened';
  }
  return next;
}
