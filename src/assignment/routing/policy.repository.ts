// Routing policies as stored (migration 0011): one row for the organization's default
// (department_id 0) and one per department that has its own. A missing row is the defaults.
import type { Selectable } from 'kysely';
import type { Executor, Trx } from '../../db/database.ts';
import { isPostgres } from '../../db/dialect.ts';
import type { RoutingPolicyTable } from '../../db/schema.ts';
import { DEFAULT_POLICY, type RoutingPolicy } from './policy.ts';

/** department_id of the organization's own policy row */
export const ORGANIZATION_POLICY = 0;

/** a stored policy row as a policy (also read by the assignment's one statement, assignment.repository.ts) */
export const policyFromRow = (r: Omit<Selectable<RoutingPolicyTable>, 'organization_id' | 'department_id' | 'updated_at'>): RoutingPolicy => ({
  strategy: r.strategy,
  capacity: r.capacity,
  onlineOnly: r.online_only === 1,
  sticky: r.sticky === 1,
  reassignAfterMinutes: r.reassign_after_minutes,
  offlineGraceMinutes: r.offline_grace_minutes,
});

/** the policy stored for the organization (departmentId null) or one department; undefined = none */
export async function findPolicy(db: Executor, orgId: number, departmentId: number | null): Promise<RoutingPolicy | undefined> {
  const row = await db
    .selectFrom('routing_policies')
    .selectAll()
    .where('organization_id', '=', orgId)
    .where('department_id', '=', departmentId ?? ORGANIZATION_POLICY)
    .executeTakeFirst();
  return row && policyFromRow(row);
}

/**
 * The policy that applies to a chat of `departmentId`: the department's own, else the
 * organization's, else the defaults (API.md §4.7). One read of at most two rows.
 */
export async function effectivePolicy(db: Executor, orgId: number, departmentId: number | null): Promise<RoutingPolicy> {
  const rows = await db
    .selectFrom('routing_policies')
    .selectAll()
    .where('organization_id', '=', orgId)
    .where('department_id', 'in', departmentId === null ? [ORGANIZATION_POLICY] : [departmentId, ORGANIZATION_POLICY])
    .execute();
  const own = rows.find((r) => r.department_id !== ORGANIZATION_POLICY) ?? rows[0];
  return own ? policyFromRow(own) : { ...DEFAULT_POLICY };
}

/** Every policy the organization has stored, by department id (0 = the organization's own). */
export async function routingPolicies(db: Executor, orgId: number): Promise<Map<number, RoutingPolicy>> {
  const rows = await db.selectFrom('routing_policies').selectAll().where('organization_id', '=', orgId).execute();
  return new Map(rows.map((r) => [r.department_id, policyFromRow(r)]));
}

const rowValues = (policy: RoutingPolicy, now: number) =>
  ({
    strategy: policy.strategy,
    capacity: policy.capacity,
    online_only: policy.onlineOnly ? 1 : 0,
    sticky: policy.sticky ? 1 : 0,
    reassign_after_minutes: policy.reassignAfterMinutes,
    offline_grace_minutes: policy.offlineGraceMinutes,
    updated_at: now,
  }) as const;

export async function savePolicy(trx: Trx, orgId: number, departmentId: number | null, policy: RoutingPolicy, now: number): Promise<void> {
  const values = rowValues(policy, now);
  await trx
    .insertInto('routing_policies')
    .values({ organization_id: orgId, department_id: departmentId ?? ORGANIZATION_POLICY, ...values })
    .onConflict((oc) => oc.columns(['organization_id', 'department_id']).doUpdateSet(values))
    .execute();
}

/**
 * The policy row a read-modify-write (a partial PUT) is about, held for the transaction: stored
 * as `base` first when there is none, then read FOR UPDATE on PostgreSQL (SQLite's writes are
 * serial already), so of two concurrent PUTs the second reads the first's result and neither
 * loses the other's keys. Routing only reads policies, so this lock never waits on the router.
 */
export async function lockPolicy(trx: Trx, orgId: number, departmentId: number | null, base: RoutingPolicy, now: number): Promise<RoutingPolicy> {
  const department = departmentId ?? ORGANIZATION_POLICY;
  await trx
    .insertInto('routing_policies')
    .values({ organization_id: orgId, department_id: department, ...rowValues(base, now) })
    .onConflict((oc) => oc.columns(['organization_id', 'department_id']).doNothing())
    .execute();
  const row = trx.selectFrom('routing_policies').selectAll().where('organization_id', '=', orgId).where('department_id', '=', department);
  return policyFromRow(await (isPostgres(trx) ? row.forUpdate() : row).executeTakeFirstOrThrow());
}
