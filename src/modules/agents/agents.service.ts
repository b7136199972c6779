import type { Database, Executor } from '../../db/database.ts';
import type { AgentRole } from '../../db/schema.ts';
import { Invalid, NotFound } from '../../errors.ts';
import type { Clock } from '../../lib/clock.ts';
import { REASON } from '../../input/validate.ts';
import type { Page } from '../../input/pagination.ts';
import { addDepartmentAgent, findDepartment } from '../departments/departments.repository.ts';
import { presentAgent } from './agents.presenter.ts';
import * as repo from './agents.repository.ts';
import { requireOrganization } from '../organizations/require-organization.ts';

export const AGENT_ROLES: readonly AgentRole[] = ['admin', 'superviser', 'agent', 'agentChatOnly'];

export interface NewAgent {
  orgId: number;
  name: string;
  email: string;
  role: string;
  departmentId?: number;
}

export function createAgent(database: Database, clock: Clock, input: NewAgent) {
  const items = [];
  if (input.name.trim() === '') items.push({ code: 'name', message: REASON.blank });
  if (!/^[^\s@]+@[^\s@]+$/.test(input.email)) items.push({ code: 'email', message: 'This value is not a valid email address.' });
  if (!AGENT_ROLES.includes(input.role as AgentRole)) items.push({ code: 'role', message: REASON.choice });
  if (items.length > 0) throw new Invalid(items);
  return database.write(async (trx) => {
    await requireOrganization(trx, input.orgId);
    if (input.departmentId !== undefined && !(await findDepartment(trx, input.orgId, input.departmentId))) {
      throw Invalid.field('department', `Department for ID "${input.departmentId}" was not found`);
    }
    if (await repo.findAgentByEmail(trx, input.orgId, input.email)) {
      throw Invalid.field('email', 'This value is already used.');
    }
    const id = await repo.insertAgent(trx, {
      organizationId: input.orgId,
      name: input.name.trim(),
      email: input.email,
      role: input.role as AgentRole,
      createdAt: clock.now(),
    });
    if (input.departmentId !== undefined) await addDepartmentAgent(trx, input.orgId, input.departmentId, id);
    return getAgent(trx, input.orgId, id);
  });
}

export async function getAgent(db: Executor, orgId: number, agentId: number) {
  const agent = await repo.findAgent(db, orgId, agentId);
  if (!agent) throw new NotFound('Agent', agentId);
  const departments = await repo.departmentIdsByAgent(db, orgId, [agentId]);
  return presentAgent(agent, departments.get(agentId) ?? []);
}

/** Deactivated agents stay listed with `active: false` and can no longer be assigned (API.md §5). */
export function deactivateAgent(database: Database, orgId: number, agentId: number) {
  return database.write(async (trx) => {
    await requireOrganization(trx, orgId);
    if (!(await repo.setAgentActive(trx, orgId, agentId, false))) throw new NotFound('Agent', agentId);
    return getAgent(trx, orgId, agentId);
  });
}

export async function listAgents(db: Executor, orgId: number, page: Page) {
  const [rows, total] = await Promise.all([repo.listAgents(db, orgId, page), repo.countAgents(db, orgId)]);
  const departments = await repo.departmentIdsByAgent(db, orgId, rows.map((r) => r.id));
  return { data: rows.map((r) => presentAgent(r, departments.get(r.id) ?? [])), total };
}

/**
 * GET /v1/agents/{id}/unsubscribe: the agent no longer gets email notifications (the
 * reference's link target; idempotent). Deactivated agents can unsubscribe too.
 */
export function unsubscribeAgent(database: Database, orgId: number, agentId: number) {
  return database.write(async (trx) => {
    if (!(await repo.setAgentEmailUnsubscribed(trx, orgId, agentId))) throw new NotFound('Agent', agentId);
  });
}
