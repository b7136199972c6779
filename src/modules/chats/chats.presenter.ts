import { timestampOut } from '../../lib/timestamps.ts';
import { agentRef, type AgentRefRow } from '../agents/agents.presenter.ts';
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
    agents: agents.map(agentRef),
    customer: { id: c.customer_id, name: c.customer_name, email: c.customer_email, userId: c.customer_user_id },
    assignee: presentAssignee(c),
    department: c.department_id === null ? null : { id: c.department_id, name: c.department_name! },
  };
}

/** The chat's assignee as an AgentRef, or null. */
export function presentAssignee(c: Pick<ChatView, 'assignee_id' | 'assignee_name' | 'assignee_email' | 'assignee_role'>) {
  return c.assignee_id === null ? null : { id: c.assignee_id, name: c.assignee_name!, email: c.assignee_email!, role: c.assignee_role! };
}

export type Chat = ReturnType<typeof presentChat>;
