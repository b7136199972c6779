import type { Executor } from '../db/database.ts';
import { findAgent } from '../modules/agents/agents.repository.ts';

/**
 * Why an agent cannot be made a chat's assignee, or null if it can (API.md §4.3). Presence is
 * deliberately not checked: manual assignment to an away or offline agent is allowed, as in
 * HelpCrunch; only routing honours presence.
 */
export async function unassignableReason(db: Executor, orgId: number, agentId: number): Promise<string | null> {
  const agent = await findAgent(db, orgId, agentId);
  if (!agent) return `Agent for ID "${agentId}" was not found`;
  if (agent.active !== 1) return `Agent for ID "${agentId}" is deactivated`;
  return null;
}
