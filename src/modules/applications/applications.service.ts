import type { Executor } from '../../db/database.ts';
import type { Page } from '../../input/pagination.ts';
import { presentApplication } from './applications.presenter.ts';
import { countApplications, listApplications as list } from './applications.repository.ts';

export async function listApplications(db: Executor, orgId: number, page: Page) {
  const [rows, total] = await Promise.all([list(db, orgId, page), countApplications(db, orgId)]);
  return { data: rows.map(presentApplication), total };
}
