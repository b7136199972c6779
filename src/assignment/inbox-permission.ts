// Who may assign what from the inbox (docs/inbox.md, "Who may do what"). Pure: assignChat
// calls it inside its transaction, after it has locked and read the chat, so the rule judges
// the assignee the chat has now — two agents taking one chat cannot both pass it.
import type { AgentRole } from '../db/schema.ts';

/** what an inbox assignment is judged by: the signed-in agent and the organization's setting */
export interface InboxPermission {
  agentId: number;
  role: AgentRole;
  agentsMayReassign: boolean;
}

const SUPERVISING: readonly AgentRole[] = ['admin', 'superviser'];

/**
 * Why `by` may not move the chat from `from` to `to`, or null when it may. Admins and
 * supervisers assign anyone; a plain agent moves a chat only between nobody and themselves
 * (takes an unassigned chat, unassigns themselves), unless the organization lets agents
 * reassign. Naming the assignee the chat already has changes nothing and is never refused.
 */
export function inboxAssignmentRefusal(by: InboxPermission, from: number | null, to: number | null): string | null {
  if (SUPERVISING.includes(by.role) || by.agentsMayReassign || from === to) return null;
  if (from === null && to === by.agentId) return null; // takes an unassigned chat
  if (from === by.agentId && to === null) return null; // unassigns themselves
  if (from !== null && from !== by.agentId) {
    return `The chat is assigned to another agent: only an admin or a superviser may reassign it (or any agent, with the organization setting agentsMayReassign).`;
  }
  return `An agent may only take an unassigned chat or unassign themselves: only an admin or a superviser may assign a chat to another agent.`;
}
