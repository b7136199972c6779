// Presenters are the only code that shapes public JSON (DESIGN rule 3), for answers and
// outbox eventData alike; key order is API.md §3.
import { timestampOut } from '../../lib/timestamps.ts';
import { agentRefOf, agentRefOrNull } from '../agents/agents.presenter.ts';
import type { AgentRefRow } from '../agents/agents.repository.ts';
import { customerRef } from '../customers/customers.presenter.ts';
import type { ChatView } from './chats.repository.ts';

/** Chat, key order of API.md §3 (and of the reference's example response). */
export function presentChat(c: ChatView, agents: AgentRefRow[]) {
  return {
    id: c.id,
    closedBy: c.closed_by,
    lastCustomerMessageAt: timestampOut(c.last_customer_message_at),
    status: c.status,
    closedAt: timestampOut(c.closed_at),
    rating: c.rating,
    createdAt: timestampOut(c.created_at),
    lastMessageAt: timestampOut(c.last_message_at),
    readByAgent: c.read_by_agent === 1,
    readByCustomer: c.read_by_customer === 1,
    createdWith: c.created_with,
    snoozedUntil: timestampOut(c.snoozed_until),
    lastMessageText: c.last_message_text,
    lastMessageId: c.last_message_id,
    applicationId: c.application_id,
    lastCommunicatedAgentId: c.last_communicated_agent_id,
    agents: agents.map(agentRefOf),
    customer: customerRef(c.customer_id, c.customer_name, c.customer_email, c.customer_user_id),
    assignee: presentAssignee(c),
    department: c.department_id === null ? null : { id: c.department_id, name: c.department_name! },
  };
}

/** The chat's assignee as an AgentRef, or null. */
export function presentAssignee(c: Pick<ChatView, 'assignee_id' | 'assignee_name' | 'assignee_email' | 'assignee_role'>) {
  return agentRefOrNull(c.assignee_id, c.assignee_name, c.assignee_email, c.assignee_role);
}

export type Chat = ReturnType<typeof presentChat>;

/**
 * `eventData` of the chat.* outbox events but `chat.assigned` (API.md §4.5): `chat.new`,
 * `chat.status_updated`, `chat.snoozed`, `chat.unsnoozed`, `chat.closed`, `chat.rated` — the
 * chat as the API shows it after the change.
 */
export const chatEventData = (chat: Chat) => ({ chat });
