// The inbox's own SQL (DESIGN rule 5): scoped by organization like every query.
import type { Executor } from '../../db/database.ts';
import { AGENT_COLUMNS } from '../agents/agents.repository.ts';

/** every agent of the organization with their current load (agents.open_chats, migration 0012) */
export function agentsWithLoad(db: Executor, orgId: number) {
  return db.selectFrom('agents').select([...AGENT_COLUMNS, 'open_chats']).where('organization_id', '=', orgId).orderBy('id').execute();
}
