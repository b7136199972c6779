// Presence from the inbox (docs/inbox.md, "Who may do what"): an agent sets their own;
// admins and supervisers anyone's. An API key may set anyone's.
import type { AgentRole } from '../../db/schema.ts';
import { Forbidden } from '../../errors.ts';

/**
 * After the body's field checks, before the agent is looked up: a plain agent naming another id
 * is refused whether or not it exists, so the answer tells them nothing about other agents.
 */
export function requirePresenceAllowed(session: { agentId: number; role: AgentRole } | null, agentId: number): void {
  if (!session || session.agentId === agentId || session.role === 'admin' || session.role === 'superviser') return;
  throw new Forbidden('forbidden', "Only an admin or a superviser may set another agent's presence.");
}
