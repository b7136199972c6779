// Outbox reads for the live stream (DESIGN rule 5: all SQL here). The outbox row id is the
// event position: the stream's `id:` and the Last-Event-ID a client resumes from.
import type { Selectable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { OutboxTable } from '../../db/schema.ts';
import type { EventName } from '../../events/names.ts';
import type { CommittedEvent } from '../../events/outbox.ts';

const COLUMNS = ['id', 'organization_id', 'event_id', 'event', 'chat_id', 'event_data', 'created_at'] as const;

export type OutboxRow = Pick<Selectable<OutboxTable>, (typeof COLUMNS)[number]>;

export function toCommittedEvent(row: OutboxRow): CommittedEvent {
  return {
    position: row.id,
    organizationId: row.organization_id,
    id: row.event_id,
    event: row.event as EventName,
    chatId: row.chat_id,
    eventData: JSON.parse(row.event_data),
    createdAt: Number(row.created_at),
  };
}

/** One organization's events in (after, upTo], oldest first: a resuming stream's replay. */
export function organizationEventsBetween(db: Executor, orgId: number, after: number, upTo: number, limit: number): Promise<OutboxRow[]> {
  return db
    .selectFrom('outbox')
    .select(COLUMNS)
    .where('organization_id', '=', orgId) // index outbox_org (organization_id, id)
    .where('id', '>', after)
    .where('id', '<=', upTo)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/**
 * Every organization's events after a position, oldest first. The one outbox read not scoped
 * by organization (DESIGN rule 5's exception): whether a position is missing can only be seen
 * in the global sequence. Only the outbox tail calls it, and it hands each event to the
 * streams of that event's organization alone.
 */
export function eventsAfter(db: Executor, after: number, limit: number): Promise<OutboxRow[]> {
  return db.selectFrom('outbox').select(COLUMNS).where('id', '>', after).orderBy('id').limit(limit).execute();
}

/** positions only (no payloads) after a position: the tail's start-up scan for missing ones */
export async function positionsAfter(db: Executor, after: number, limit: number): Promise<number[]> {
  const rows = await db.selectFrom('outbox').select('id').where('id', '>', after).orderBy('id').limit(limit).execute();
  return rows.map((r) => r.id);
}

/** the newest position (0 for an empty outbox): no client can have seen a later one */
export async function newestPosition(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.max('id').as('newest'))
    .executeTakeFirst();
  return Number(row?.newest ?? 0);
}
