// Reading and setting routing policies (API.md §4.7 [ext]): the organization's default and a
// department's own. Used by the HTTP routes and the `handoff routing` commands alike.
import type { Database, Executor } from '../../db/database.ts';
import { NotFound } from '../../errors.ts';
import type { Clock } from '../../lib/clock.ts';
import { findDepartment } from '../../modules/departments/departments.repository.ts';
import { DEFAULT_POLICY, mergePolicy, type RoutingPolicy } from './policy.ts';
import { findPolicy, lockPolicy, savePolicy } from './policy.repository.ts';
import type { PolicyPatch } from './policy.schema.ts';
import { lockRouting } from './facts.repository.ts';
import { policyChanged } from './triggers.ts';

/** a policy and where it comes from: the department's own row, the organization's, or the defaults */
export interface PolicyRead {
  policy: RoutingPolicy;
  from: 'department' | 'organization' | 'defaults';
}

/**
 * The policy that applies to the organization (departmentId null) or to one department: its own
 * if stored, else what it inherits (a department the organization's, the organization the
 * defaults). A department unknown or of another organization → 404.
 */
export async function readPolicy(db: Executor, orgId: number, departmentId: number | null): Promise<PolicyRead> {
  await requireDepartment(db, orgId, departmentId);
  return policyOf(db, orgId, departmentId);
}

/**
 * PUT: the given keys laid over the policy that applies now (omitted keys keep their value), and
 * the result stored as the organization's or department's own. A department without its own
 * policy starts from the one it inherits, so a PUT of one key changes only that key of what the
 * department had; from then on it keeps its own and no longer follows the organization's.
 * The chats the policy governs join or leave the queue, and the queue drains (policyChanged).
 */
export function updatePolicy(database: Database, clock: Clock, orgId: number, departmentId: number | null, patch: PolicyPatch) {
  return database.write(async (trx): Promise<PolicyRead> => {
    await requireDepartment(trx, orgId, departmentId);
    const now = clock.now();
    await lockRouting(trx, orgId); // first, as a drain takes it: the chats policyChanged queues are the drain's
    const stored = await lockPolicy(trx, orgId, departmentId, (await policyOf(trx, orgId, departmentId)).policy, now);
    const policy = mergePolicy(stored, patch);
    await savePolicy(trx, orgId, departmentId, policy, now);
    await policyChanged(trx, now, orgId, departmentId, policy);
    return { policy, from: departmentId === null ? 'organization' : 'department' };
  });
}

async function policyOf(db: Executor, orgId: number, departmentId: number | null): Promise<PolicyRead> {
  const own = await findPolicy(db, orgId, departmentId);
  if (own) return { policy: own, from: departmentId === null ? 'organization' : 'department' };
  const organization = departmentId === null ? undefined : await findPolicy(db, orgId, null);
  return organization ? { policy: organization, from: 'organization' } : { policy: { ...DEFAULT_POLICY }, from: 'defaults' };
}

async function requireDepartment(db: Executor, orgId: number, departmentId: number | null): Promise<void> {
  if (departmentId !== null && !(await findDepartment(db, orgId, departmentId))) throw new NotFound('Department', departmentId);
}
