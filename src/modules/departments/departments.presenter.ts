import { agentRefOf } from '../agents/agents.presenter.ts';
import type { AgentRefRow } from '../agents/agents.repository.ts';

/** Department: `{id, name, agents: AgentRef[]}` (API.md §3) */
export const presentDepartment = (d: { id: number; name: string }, members: AgentRefRow[]) => ({
  id: d.id,
  name: d.name,
  agents: members.map(agentRefOf),
});
