// Presenters are the only code that shapes public JSON (DESIGN rule 3).
import { presentAgent, type AgentRow } from '../agents/agents.presenter.ts';

/** GET /v1/inbox/agents: the Agent as GET /v1/agents shows it, then `openChats` (its current load) */
export const presentInboxAgent = (a: AgentRow & { open_chats: number }, departments: number[]) => ({
  ...presentAgent(a, departments),
  openChats: a.open_chats,
});
