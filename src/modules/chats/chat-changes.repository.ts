// SQL of the chat changes of API.md §4.2 and of the snooze wake-up. Each writer sets only its
// own columns (never `assignee_id`: assignChat alone writes it, DESIGN rule 2) and is scoped by
// organization and chat id (DESIGN rule 5). Compiled once (db/prepared.ts): these run on every
// change request.
import type { Executor } from '../../db/database.ts';
import { prepared } from '../../db/prepared.ts';
import type { ChatStatus, Flag } from '../../db/schema.ts';

const writeStatusQuery = prepared(
  (db, status: ChatStatus, closedAt: number | null, closedBy: 'agent' | null, at: number, orgId: number, chatId: number) =>
    db
      .updateTable('chats')
      .set({ status, closed_at: closedAt, closed_by: closedBy, updated_at: at })
      .where('organization_id', '=', orgId)
      .where('id', '=', chatId),
);

/** status with its closing fields: closedAt/closedBy are set on closing and cleared on reopening */
export async function writeStatus(
  db: Executor,
  orgId: number,
  chatId: number,
  change: { status: ChatStatus; closedAt: number | null; closedBy: 'agent' | null },
  at: number,
) {
  await writeStatusQuery(db, change.status, change.closedAt, change.closedBy, at, orgId, chatId);
}

const writeDepartmentQuery = prepared((db, departmentId: number | null, at: number, orgId: number, chatId: number) =>
  db.updateTable('chats').set({ department_id: departmentId, updated_at: at }).where('organization_id', '=', orgId).where('id', '=', chatId),
);

export async function writeDepartment(db: Executor, orgId: number, chatId: number, departmentId: number | null, at: number) {
  await writeDepartmentQuery(db, departmentId, at, orgId, chatId);
}

const writeSnoozeQuery = prepared((db, snoozedUntil: number | null, at: number, orgId: number, chatId: number) =>
  db.updateTable('chats').set({ snoozed_until: snoozedUntil, updated_at: at }).where('organization_id', '=', orgId).where('id', '=', chatId),
);

export async function writeSnooze(db: Executor, orgId: number, chatId: number, snoozedUntil: number | null, at: number) {
  await writeSnoozeQuery(db, snoozedUntil, at, orgId, chatId);
}

const writeRatingQuery = prepared((db, rating: string, at: number, orgId: number, chatId: number) =>
  db.updateTable('chats').set({ rating, updated_at: at }).where('organization_id', '=', orgId).where('id', '=', chatId),
);

export async function writeRating(db: Executor, orgId: number, chatId: number, rating: string, at: number) {
  await writeRatingQuery(db, rating, at, orgId, chatId);
}

// Both flags in one fixed statement: the caller passes the current value of the one it keeps
// (it holds the chat row inside the same transaction).
const writeReadQuery = prepared((db, byAgent: Flag, byCustomer: Flag, at: number, orgId: number, chatId: number) =>
  db
    .updateTable('chats')
    .set({ read_by_agent: byAgent, read_by_customer: byCustomer, updated_at: at })
    .where('organization_id', '=', orgId)
    .where('id', '=', chatId),
);

export async function writeRead(db: Executor, orgId: number, chatId: number, flags: { byAgent: Flag; byCustomer: Flag }, at: number) {
  await writeReadQuery(db, flags.byAgent, flags.byCustomer, at, orgId, chatId);
}

const agentMessageQuery = prepared((db, orgId: number, chatId: number) =>
  db.selectFrom('chat_agents').select('agent_id').where('organization_id', '=', orgId).where('chat_id', '=', chatId).limit(1),
);

/** An agent wrote in the chat: the messages module keeps one chat_agents row per such agent. */
export async function hasAgentMessage(db: Executor, orgId: number, chatId: number): Promise<boolean> {
  return (await agentMessageQuery(db, orgId, chatId)).rows.length > 0;
}

// --- snooze wake-up -------------------------------------------------------------------------

// The one read that spans organizations: the wake-up is the system's own job, not a tenant's
// request. Every write that follows is scoped by the row's own organization. The
// `snoozed_until is not null` term and the order by (snoozed_until, id) let it walk a partial
// index on chats(snoozed_until) where snoozed_until is not null, touching only due rows.
const dueSnoozesQuery = prepared((db, now: number, limit: number) =>
  db
    .selectFrom('chats')
    .select(['organization_id', 'id'])
    .where('snoozed_until', 'is not', null)
    .where('snoozed_until', '<=', now)
    .orderBy('snoozed_until')
    .orderBy('id')
    .limit(limit),
);

/** chats whose snooze has passed, oldest first, at most `limit` */
export async function dueSnoozes(db: Executor, now: number, limit: number) {
  return (await dueSnoozesQuery(db, now, limit)).rows;
}

// Guarded by the due condition, so a chat woken (or re-snoozed) by someone else in between is
// left alone and gets no second event.
const wakeQuery = prepared((db, now: number, orgId: number, chatId: number) =>
  db
    .updateTable('chats')
    .set({ snoozed_until: null, updated_at: now })
    .where('organization_id', '=', orgId)
    .where('id', '=', chatId)
    .where('snoozed_until', '<=', now),
);

/** clears a due snooze; false when it was no longer due */
export async function wakeChat(db: Executor, orgId: number, chatId: number, now: number): Promise<boolean> {
  const r = await wakeQuery(db, now, orgId, chatId);
  return Number(r.numAffectedRows ?? 0) > 0;
}
