import type { Executor } from './handle.ts';

/** Tables whose rows belong to one organization and are listed with a total. */
type OrgTable = 'agents' | 'departments' | 'applications';

/** How many rows of `table` the organization has (the `meta.total` of its list). */
export async function countInOrganization(db: Executor, table: OrgTable, orgId: number): Promise<number> {
  const r = await db
    .selectFrom(table as 'agents')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organization_id', '=', orgId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
