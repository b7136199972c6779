import type { Executor } from '../../db/database.ts';

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

export async function countApplications(db: Executor, orgId: number): Promise<number> {
  const r = await db
    .selectFrom('applications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organization_id', '=', orgId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

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
