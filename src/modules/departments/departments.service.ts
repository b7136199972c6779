import { seatsChanged } from '../../assignment/routing/triggers.ts';
import type { Database, Executor, Trx } from '../../db/database.ts';
import { Invalid, NotFound } from '../../errors.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Page } from '../../input/pagination.ts';
import { REASON } from '../../input/validate.ts';
import { presentDepartment } from './departments.presenter.ts';
import * as repo from './departments.repository.ts';
import { findAgent } from '../agents/agents.repository.ts';
import { requireOrganization } from '../organizations/require-organization.ts';

export function createDepartment(database: Database, clock: Clock, input: { orgId: number; name: string }) {
  const name = input.name.trim();
  if (name === '') throw Invalid.field('name', REASON.blank);
  return database.write(async (trx) => {
    await requireOrganization(trx, input.orgId);
    const id = await repo.insertDepartment(trx, { organizationId: input.orgId, name, createdAt: clock.now() });
    return { id, name };
  });
}

export async function listDepartments(db: Executor, orgId: number, page: Page) {
  const [rows, total] = await Promise.all([repo.listDepartments(db, orgId, page), repo.countDepartments(db, orgId)]);
  const members = await repo.departmentMembers(db, orgId, rows.map((d) => d.id));
  return {
    data: rows.map((d) => presentDepartment(d, members.filter((m) => m.department_id === d.id))),
    total,
  };
}

/** `handoff department list`: every department of the organization with its members */
export async function listAllDepartments(db: Executor, orgId: number) {
  await requireOrganization(db, orgId);
  return (await listDepartments(db, orgId, { offset: 0, limit: Number.MAX_SAFE_INTEGER })).data;
}

async function getDepartment(db: Executor, orgId: number, departmentId: number) {
  const department = await repo.findDepartment(db, orgId, departmentId);
  if (!department) throw new NotFound('Department', departmentId);
  return presentDepartment(department, await repo.departmentMembers(db, orgId, [departmentId]));
}

/**
 * The one way an agent's departments change (`handoff department add-agent|remove-agent`,
 * `handoff agent update --department`), in the caller's transaction: exactly `departmentIds`
 * afterwards. A department routing may now offer the agent's seats to has its waiting chats
 * drained (told before the rows are written, as agents.service.ts's changes do); leaving one
 * takes no chat from the agent. Unknown ids: 400 naming `department`, as POST of an agent.
 */
export async function setAgentDepartments(trx: Trx, now: number, orgId: number, agentId: number, departmentIds: number[]) {
  const wanted = [...new Set(departmentIds)];
  const known = await repo.existingDepartments(trx, orgId, wanted);
  const unknown = wanted.find((id) => !known.has(id));
  if (unknown !== undefined) throw Invalid.field('department', `Department for ID "${unknown}" was not found`);
  const current = await repo.departmentsOfAgent(trx, orgId, agentId);
  const joined = wanted.filter((id) => !current.includes(id)).sort((a, b) => a - b);
  const left = current.filter((id) => !wanted.includes(id));
  if (joined.length > 0) await seatsChanged(trx, now, orgId);
  for (const id of joined) await repo.addDepartmentAgent(trx, orgId, id, agentId);
  for (const id of left) await repo.removeDepartmentAgent(trx, orgId, id, agentId);
  return { joined, left };
}

/** one membership added or removed; `changed` is false when it already was (or was not) */
function changeMembership(database: Database, clock: Clock, orgId: number, departmentId: number, agentId: number, member: boolean) {
  return database.write(async (trx) => {
    await requireOrganization(trx, orgId);
    await getDepartment(trx, orgId, departmentId);
    if (!(await findAgent(trx, orgId, agentId))) throw new NotFound('Agent', agentId);
    const current = await repo.departmentsOfAgent(trx, orgId, agentId);
    const next = member ? [...current, departmentId] : current.filter((id) => id !== departmentId);
    const { joined, left } = await setAgentDepartments(trx, clock.now(), orgId, agentId, next);
    return { department: await getDepartment(trx, orgId, departmentId), changed: joined.length + left.length > 0 };
  });
}

export const addAgentToDepartment = (database: Database, clock: Clock, orgId: number, departmentId: number, agentId: number) =>
  changeMembership(database, clock, orgId, departmentId, agentId, true);

export const removeAgentFromDepartment = (database: Database, clock: Clock, orgId: number, departmentId: number, agentId: number) =>
  changeMembership(database, clock, orgId, departmentId, agentId, false);
