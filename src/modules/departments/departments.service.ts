import type { Database, Executor } from '../../db/database.ts';
import { Invalid } from '../../errors.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Page } from '../../input/pagination.ts';
import { REASON } from '../../input/validate.ts';
import { presentDepartment } from './departments.presenter.ts';
import * as repo from './departments.repository.ts';
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
