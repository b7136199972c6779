// The queue as GET /v1/organization/queue shows it: waiting chats per department, oldest first.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';

/** how many chats wait in each department (null = chats without one), for the positions and totals */
export async function waitingPerDepartment(db: Executor, orgId: number) {
  const rows = await db
    .selectFrom('chats as c')
    .leftJoin('departments as d', 'd.id', 'c.department_id')
    .select(['c.department_id', 'd.name as department_name', sql<number>`count(*)`.as('waiting')])
    .where('c.organization_id', '=', orgId)
    .where('c.queued_at', 'is not', null)
    .groupBy(['c.department_id', 'd.name'])
    // chats without a department first, on both databases (they sort NULL differently)
    .orderBy(sql`case when ${sql.ref('c.department_id')} is null then 0 else 1 end`)
    .orderBy('c.department_id')
    .execute();
  return rows.map((r) => ({ ...r, waiting: Number(r.waiting) }));
}

/** the first `limit` waiting chats of one department (null = none), oldest first */
export function waitingChats(db: Executor, orgId: number, departmentId: number | null, limit: number) {
  return db
    .selectFrom('chats as c')
    .innerJoin('customers as cu', 'cu.id', 'c.customer_id')
    .select(['c.id', 'c.queued_at', 'c.created_at', 'cu.id as customer_id', 'cu.name as customer_name', 'cu.email as customer_email', 'cu.user_id as customer_user_id'])
    .where('c.organization_id', '=', orgId)
    .where('c.queued_at', 'is not', null)
    .where('c.department_id', departmentId === null ? 'is' : '=', departmentId)
    .orderBy('c.queued_at')
    .orderBy('c.id')
    .limit(limit)
    .execute();
}

export type WaitingChat = Awaited<ReturnType<typeof waitingChats>>[number];
