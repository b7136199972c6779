import type { Executor } from '../db/database.ts';
import { findAgent } from '../modules/agents/agents.repository.ts';

export type Assignable = { ok: true; agent: NonNullable<Awaited<ReturnType<typeof findAgent>>> } | { ok: false; reason: string };

/**
 * Whether an agent can be made a chat's assignee (API.md §4.3), with the agent when it can.
 * Presence is deliberately not checked: manual assignment to an away or offline agent is
 * allowed, as in HelpCrunch; only routing honours presence.
 */
export async function assignable(db: Executor, orgId: number, agentId: number): Promise<Assignable> {
  return judgeAssignable(agentId, await findAgent(db, orgId, agentId));
}

/** the same judgement of an agent already read (undefined: the organization has no such agent) */
export function judgeAssignable<A extends { active: number }>(agentId: number, agent: A | undefined): { ok: true; agent: A } | { ok: false; reason: string } {
  if (!agent) return { ok: false, reason: `Agent for ID "${agentId}" was not found` };
  if (agent.active !== 1) return { ok: false, reason: `Agent for ID "${agentId}" is deactivated` };
  return { ok: true, agent };
}
