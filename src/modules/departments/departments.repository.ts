import type { Executor } from '../../db/database.ts';
import { countInOrganization } from '../../db/org-scoped.ts';

export function findDepartment(db: Executor, orgId: number, departmentId: number) {
  return db
    .selectFrom('departments')
    .select(['id', 'name'])
    .where('organization_id', '=', orgId)
    .where('id', '=', departmentId)
    .executeTakeFirst();
}

export async function insertDepartment(db: Executor, row: { organizationId: number; name: string; createdAt: number }) {
  const r = await db
    .insertInto('departments')
    .values({ organization_id: row.organizationId, name: row.name, created_at: row.createdAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function addDepartmentAgent(db: Executor, orgId: number, departmentId: number, agentId: number) {
  await db
    .insertInto('department_agents')
    .values({ organization_id: orgId, department_id: departmentId, agent_id: agentId })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export function listDepartments(db: Executor, orgId: number, page: { offset: number; limit: number }) {
  return db
    .selectFrom('departments')
    .select(['id', 'name'])
    .where('organization_id', '=', orgId)
    .orderBy('id')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
}

export const countDepartments = (db: Executor, orgId: number) => countInOrganization(db, 'departments', orgId);

/** members of the given departments, in agent id order */
export function departmentMembers(db: Executor, orgId: number, departmentIds: number[]) {
  return db
    .selectFrom('department_agents as da')
    .innerJoin('agents as a', 'a.id', 'da.agent_id')
    .select(['da.department_id', 'a.id', 'a.name', 'a.email', 'a.role'])
    .where('da.organization_id', '=', orgId)
    .where('da.department_id', 'in', departmentIds.length > 0 ? departmentIds : [-1])
    .orderBy('a.id')
    .execute();
}

/** takes the agent out of the department; false when they were not a member */
export async function removeDepartmentAgent(db: Executor, orgId: number, departmentId: number, agentId: number): Promise<boolean> {
  const r = await db
    .deleteFrom('department_agents')
    .where('organization_id', '=', orgId)
    .where('department_id', '=', departmentId)
    .where('agent_id', '=', agentId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** which of `departmentIds` are the organization's */
export async function existingDepartments(db: Executor, orgId: number, departmentIds: number[]): Promise<Set<number>> {
  if (departmentIds.length === 0) return new Set();
  const rows = await db.selectFrom('departments').select('id').where('organization_id', '=', orgId).where('id', 'in', departmentIds).execute();
  return new Set(rows.map((r) => r.id));
}

/** the departments the agent is a member of, in id order */
export async function departmentsOfAgent(db: Executor, orgId: number, agentId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('department_agents')
    .select('department_id')
    .where('organization_id', '=', orgId)
    .where('agent_id', '=', agentId)
    .orderBy('department_id')
    .execute();
  return rows.map((r) => r.department_id);
}
