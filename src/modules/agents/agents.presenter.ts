// Presenters are the only code that shapes public JSON (DESIGN rule 3); key order is API.md §3.
import type { AgentRole, Presence } from '../../db/schema.ts';

export interface AgentRefRow {
  id: number;
  name: string;
  email: string;
  role: AgentRole;
}

export interface AgentRef {
  id: number;
  name: string;
  email: string;
  role: AgentRole;
}

export const agentRef = (a: AgentRefRow): AgentRef => ({ id: a.id, name: a.name, email: a.email, role: a.role });

export interface AgentRow extends AgentRefRow {
  status: Presence;
  active: number;
}

/** Agent: `{id, name, email, role}` plus [ext] `status`, `active`, `departments` (ids). */
export function presentAgent(a: AgentRow, departments: number[]) {
  return { id: a.id, name: a.name, email: a.email, role: a.role, status: a.status, active: a.active === 1, departments };
}
