// The transactional outbox (DESIGN rule 7): events are written in the same transaction as the
// change they describe and delivered after commit by the webhook worker and the live stream.
import { sql } from 'kysely';
import { afterCommit } from '../db/after-commit.ts';
import type { Trx } from '../db/database.ts';
import { isPostgres } from '../db/dialect.ts';
import { prepared } from '../db/prepared.ts';
import { signalsOf } from '../db/signals.ts';
import { newEventId } from '../lib/crypto.ts';
import type { EventName } from './names.ts';
import { interestNeedle, wantedBy } from './webhook-interest.ts';

export interface NewEvent {
  orgId: number;
  event: EventName;
  /** per-chat delivery order is kept for events that name a chat */
  chatId: number | null;
  /** built by presenters, exactly what a webhook's `eventData` carries */
  eventData: unknown;
  /** `JSON.stringify(eventData)` when the caller has it already (assignChat: the chat serialised once for the answer and the event) */
  eventJson?: string;
  createdAt: number;
}

/** an event as committed: its outbox position and what a webhook will carry */
export interface CommittedEvent {
  position: number;
  organizationId: number;
  id: string;
  event: EventName;
  chatId: number | null;
  eventData: unknown;
  createdAt: number;
  /**
   * whether an active webhook subscription wants it: only then has the webhook worker work to
   * do. Absent (unknown) on events read back from the outbox or heard from an older instance.
   */
  webhookPending?: boolean;
}

// Every state change writes one: compiled once (db/prepared.ts). The event's webhook state comes
// from its organization's row in the same statement: not pending when no active subscription
// wants it (the webhook worker then never touches it), and the generation that decides which
// subscriptions get it. PostgreSQL reads the row FOR KEY SHARE: why no subscription can miss an
// event committed after it is argued in events/webhook-interest.ts.
const insertEvent = prepared(
  (db, orgId: number, eventId: string, event: string, chatId: number | null, data: string, at: number, needle: string) => {
    // Parameters in a SELECT list have no column to take their type from: cast them.
    let row = db
      .selectFrom('organizations as o')
      .select([
        'o.id',
        sql<string>`cast(${eventId} as text)`.as('event_id'),
        sql<string>`cast(${event} as text)`.as('event'),
        sql<number | null>`cast(${chatId} as integer)`.as('chat_id'),
        sql<string>`cast(${data} as text)`.as('event_data'),
        sql<number>`cast(${at} as bigint)`.as('created_at'),
        wantedBy(db, needle).as('webhook_pending'),
        'o.webhook_generation',
      ])
      .where('o.id', '=', orgId);
    if (isPostgres(db)) row = row.forKeyShare();
    return db
      .insertInto('outbox')
      .columns(['organization_id', 'event_id', 'event', 'chat_id', 'event_data', 'created_at', 'webhook_pending', 'webhook_generation'])
      .expression(row)
      .returning(['id', 'webhook_pending']);
  },
);

export async function appendEvent(trx: Trx, e: NewEvent): Promise<string> {
  const eventId = newEventId();
  const { rows } = await insertEvent(trx, e.orgId, eventId, e.event, e.chatId, e.eventJson ?? JSON.stringify(e.eventData), e.createdAt, interestNeedle(e.event));
  if (rows.length === 0) throw new Error(`no organization ${e.orgId} to append ${e.event} to`);
  eventWritten(trx, e, eventId, rows[0].id, rows[0].webhook_pending === 1);
  return eventId;
}

/**
 * An event is in the outbox at `position`: after COMMIT it goes to this process's live hub.
 * appendEvent calls it; so does a statement that wrote its event itself (the assignment's one
 * statement on PostgreSQL, assignment/assignment.repository.ts).
 */
export function eventWritten(trx: Trx, e: NewEvent, eventId: string, position: number, webhookPending: boolean): void {
  const committed: CommittedEvent = {
    position,
    organizationId: e.orgId,
    id: eventId,
    event: e.event,
    chatId: e.chatId,
    eventData: e.eventData,
    createdAt: e.createdAt,
    webhookPending,
  };
  // For the live hub (events/live-hub.ts), after COMMIT only: a rolled-back change emits nothing.
  const { committedEvents } = signalsOf(trx);
  afterCommit(trx, () => committedEvents.emit('event', committed));
}
