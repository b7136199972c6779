// Presenters are the only code that shapes public JSON (DESIGN rule 3); key order is API.md §3.
import type { AgentRole, Presence } from '../../db/schema.ts';
import type { AgentRefRow } from './agents.repository.ts';

export interface AgentRef {
  id: number;
  name: string;
  email: string;
  role: AgentRole;
}

/**
 * AgentRef `{id, name, email, role}` (API.md §3): the only place its shape is written, for a
 * Chat's `agents` and `assignee`, a Department's `agents`, a Message's `agent`, a history row's
 * `from`/`to` and the `chat.assigned` event alike. Positional, so a view's joined columns
 * (`assignee_*`, `agent_*`, `from_*`) need no object in between.
 */
export function agentRef(id: number, name: string, email: string, role: AgentRole): AgentRef {
  return { id, name, email, role };
}

/** an agent row's AgentRef (`rows.map(agentRefOf)`) */
export const agentRefOf = (a: AgentRefRow): AgentRef => agentRef(a.id, a.name, a.email, a.role);

/**
 * The AgentRef of an agent a row names through a LEFT JOIN (a chat's assignee, a message's
 * author, a history row's `from`/`to`), or null where it names none: with an id the join found
 * the agent (agents are deactivated, never deleted), so its columns are present.
 */
export function agentRefOrNull(id: number | null, name: string | null, email: string | null, role: AgentRole | null): AgentRef | null {
  return id === null ? null : agentRef(id, name!, email!, role!);
}

export interface AgentRow extends AgentRefRow {
  status: Presence;
  active: number;
  capacity: number | null;
}

/**
 * Agent: `{id, name, email, role}` plus [ext] `status`, `active`, `departments` (ids) and
 * `capacity` (the agent's own routing capacity; null = the policy's).
 */
export function presentAgent(a: AgentRow, departments: number[]) {
  return { id: a.id, name: a.name, email: a.email, role: a.role, status: a.status, active: a.active === 1, departments, capacity: a.capacity };
}

export type Agent = ReturnType<typeof presentAgent>;

/** `eventData` of the [ext] `agent.status_updated` event: the agent as the API shows it after the change */
export const agentEventData = (agent: Agent) => ({ agent });

/**
 * `handoff agent deactivate --json`: the Agent, then how many of their chats routing will give
 * to others when the offline grace ends (counted as the agent was deactivated).
 */
export const presentDeactivation = (agent: Agent, chatsToRelease: number) => ({ ...agent, chatsToRelease });

/**
 * `handoff agent list --json`: the Agent, then its open chats (assigned and not closed, in every
 * department: the load routing compares with the capacity).
 */
export const presentAgentWithLoad = (agent: Agent, openChats: number) => ({ ...agent, openChats });
