import type { Executor } from '../../db/database.ts';
import { countInOrganization } from '../../db/org-scoped.ts';

const COLUMNS = ['id', 'name', 'display_name', 'active', 'type'] as const;

export function findApplication(db: Executor, orgId: number, applicationId: number) {
  return db
    .selectFrom('applications')
    .select(COLUMNS)
    .where('organization_id', '=', orgId)
    .where('id', '=', applicationId)
    .executeTakeFirst();
}

export function listApplications(db: Executor, orgId: number, page: { offset: number; limit: number }) {
  return db
    .selectFrom('applications')
    .select(COLUMNS)
    .where('organization_id', '=', orgId)
    .orderBy('id')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
}

export const countApplications = (db: Executor, orgId: number) => countInOrganization(db, 'applications', orgId);

export async function insertApplication(
  db: Executor,
  row: { organizationId: number; name: string; displayName: string; type: string; createdAt: number },
) {
  const r = await db
    .insertInto('applications')
    .values({
      organization_id: row.organizationId,
      name: row.name,
      display_name: row.displayName,
      type: row.type,
      active: 1,
      created_at: row.createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}
