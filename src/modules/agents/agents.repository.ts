// All SQL about agents (DESIGN rule 5): every query is scoped by organization id.
import type { Executor } from '../../db/database.ts';
import { countInOrganization } from '../../db/org-scoped.ts';
import { prepared } from '../../db/prepared.ts';
import type { AgentRole, Presence } from '../../db/schema.ts';

export const AGENT_COLUMNS = ['id', 'name', 'email', 'role', 'status', 'active', 'capacity'] as const;

/** an agent's columns that an AgentRef shows (API.md §3), as the chat, department and message reads select them */
export interface AgentRefRow {
  id: number;
  name: string;
  email: string;
  role: AgentRole;
}

const findAgentQuery = prepared((db, orgId: number, agentId: number) =>
  db.selectFrom('agents').select(AGENT_COLUMNS).where('organization_id', '=', orgId).where('id', '=', agentId),
);

/** read by every assignment: compiled once (db/prepared.ts) */
export async function findAgent(db: Executor, orgId: number, agentId: number) {
  return (await findAgentQuery(db, orgId, agentId)).rows[0];
}

export function findAgentByEmail(db: Executor, orgId: number, email: string) {
  return db
    .selectFrom('agents')
    .select('id')
    .where('organization_id', '=', orgId)
    .where('email', '=', email)
    .executeTakeFirst();
}

export function listAgents(db: Executor, orgId: number, page: { offset: number; limit: number }) {
  return db
    .selectFrom('agents')
    .select(AGENT_COLUMNS)
    .where('organization_id', '=', orgId)
    .orderBy('id')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
}

/** every agent of the organization with their open chats (`handoff agent list`) */
export function listAgentsWithLoad(db: Executor, orgId: number) {
  return db.selectFrom('agents').select([...AGENT_COLUMNS, 'open_chats']).where('organization_id', '=', orgId).orderBy('id').execute();
}

/** the agent's role (admin, superviser, agent, agentChatOnly): what they may do in the inbox */
export async function setAgentRole(db: Executor, orgId: number, agentId: number, role: AgentRole): Promise<void> {
  await db.updateTable('agents').set({ role }).where('organization_id', '=', orgId).where('id', '=', agentId).execute();
}

export const countAgents = (db: Executor, orgId: number) => countInOrganization(db, 'agents', orgId);

/** department ids of each agent, for the [ext] `departments` field */
export async function departmentIdsByAgent(db: Executor, orgId: number, agentIds: number[]) {
  const byAgent = new Map<number, number[]>(agentIds.map((id) => [id, []]));
  if (agentIds.length === 0) return byAgent;
  const rows = await db
    .selectFrom('department_agents')
    .select(['agent_id', 'department_id'])
    .where('organization_id', '=', orgId)
    .where('agent_id', 'in', agentIds)
    .orderBy('department_id')
    .execute();
  for (const r of rows) byAgent.get(r.agent_id)?.push(r.department_id);
  return byAgent;
}

export async function insertAgent(
  db: Executor,
  row: { organizationId: number; name: string; email: string; role: AgentRole; createdAt: number },
): Promise<number> {
  const r = await db
    .insertInto('agents')
    .values({
      organization_id: row.organizationId,
      name: row.name,
      email: row.email,
      role: row.role,
      active: 1,
      status: 'offline', // API.md §5: a new agent's presence is offline until set
      created_at: row.createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function setAgentActive(db: Executor, orgId: number, agentId: number, active: boolean): Promise<boolean> {
  const r = await db
    .updateTable('agents')
    .set({ active: active ? 1 : 0 })
    .where('organization_id', '=', orgId)
    .where('id', '=', agentId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Sets the agent's presence when it differs; false when it was already that (or there is no
 * such agent). The condition is in the UPDATE, so of two concurrent requests for the same
 * presence exactly one changes it (PostgreSQL re-reads the row after waiting for its lock).
 */
export async function setAgentPresence(db: Executor, orgId: number, agentId: number, status: Presence): Promise<boolean> {
  const r = await db
    .updateTable('agents')
    .set({ status })
    .where('organization_id', '=', orgId)
    .where('id', '=', agentId)
    .where('status', '<>', status)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** the agent's own routing capacity (null = the policy's) */
export async function setAgentCapacity(db: Executor, orgId: number, agentId: number, capacity: number | null): Promise<void> {
  await db.updateTable('agents').set({ capacity }).where('organization_id', '=', orgId).where('id', '=', agentId).execute();
}

/** whether any active agent of the organization is online (Organization.teamOnline) */
export async function anyAgentOnline(db: Executor, orgId: number): Promise<boolean> {
  const r = await db
    .selectFrom('agents')
    .select('id')
    .where('organization_id', '=', orgId)
    .where('active', '=', 1)
    .where('status', '=', 'online')
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

/** opts the agent out of email notifications; false when no such agent is in the organization */
export async function setAgentEmailUnsubscribed(db: Executor, orgId: number, agentId: number): Promise<boolean> {
  const r = await db
    .updateTable('agents')
    .set({ email_unsubscribed: 1 })
    .where('organization_id', '=', orgId)
    .where('id', '=', agentId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
