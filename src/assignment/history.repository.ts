import type { Executor, Trx } from '../db/database.ts';
import { prepared } from '../db/prepared.ts';
import { agentRefOf, type AgentRef } from '../modules/agents/agents.presenter.ts';
import type { Page } from '../input/pagination.ts';
import type { AssignedBy, AssignmentSource } from './actor.ts';

const insertAssignment = prepared(
  (
    db,
    orgId: number,
    chatId: number,
    from: number | null,
    to: number | null,
    byType: string,
    byId: number | null,
    byName: string,
    source: string,
    reason: string | null,
    trace: string | null,
    createdAt: number,
  ) =>
    db.insertInto('assignments').values({
      organization_id: orgId,
      chat_id: chatId,
      from_agent_id: from,
      to_agent_id: to,
      assigned_by_type: byType as AssignedBy['type'],
      assigned_by_id: byId,
      assigned_by_name: byName,
      source: source as AssignmentSource,
      reason,
      trace,
      created_at: createdAt,
    }),
);

/** one history row; written on every assignment, so compiled once (db/prepared.ts) */
export async function appendAssignment(
  trx: Trx,
  row: {
    orgId: number;
    chatId: number;
    from: number | null;
    to: number | null;
    by: AssignedBy;
    source: AssignmentSource;
    reason: string | null;
    trace: unknown;
    createdAt: number;
  },
): Promise<void> {
  await insertAssignment(trx, row.orgId, row.chatId, row.from, row.to, row.by.type, row.by.id, row.by.name, row.source, row.reason, traceText(row.trace), row.createdAt);
}

/** the `trace` column: the routing trace as JSON text, null when there is none */
export const traceText = (trace: unknown): string | null => (trace === undefined || trace === null ? null : JSON.stringify(trace));

/** history of one chat, oldest first (commit order = id order) */
export function listAssignments(db: Executor, orgId: number, chatId: number, page: Page) {
  return db
    .selectFrom('assignments as h')
    .leftJoin('agents as f', 'f.id', 'h.from_agent_id')
    .leftJoin('agents as t', 't.id', 'h.to_agent_id')
    .selectAll('h')
    .select(['f.name as from_name', 'f.email as from_email', 'f.role as from_role'])
    .select(['t.name as to_name', 't.email as to_email', 't.role as to_role'])
    .where('h.organization_id', '=', orgId)
    .where('h.chat_id', '=', chatId)
    .orderBy('h.id')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
}

export type AssignmentView = Awaited<ReturnType<typeof listAssignments>>[number];

export async function countAssignments(db: Executor, orgId: number, chatId: number): Promise<number> {
  const r = await db
    .selectFrom('assignments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organization_id', '=', orgId)
    .where('chat_id', '=', chatId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** AgentRefs of the given agents of the organization, by id (the agents a page of traces names) */
export async function agentRefsById(db: Executor, orgId: number, ids: number[]): Promise<Map<number, AgentRef>> {
  const rows = await db.selectFrom('agents').select(['id', 'name', 'email', 'role']).where('organization_id', '=', orgId).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, agentRefOf(r)]));
}
