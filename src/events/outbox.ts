// The transactional outbox (DESIGN rule 7): events are written in the same transaction as the
// change they describe and delivered after commit by the webhook worker and the live stream.
import { EventEmitter } from 'node:events';
import { afterCommit } from '../db/after-commit.ts';
import type { Trx } from '../db/database.ts';
import { prepared } from '../db/prepared.ts';
import { newEventId } from '../lib/crypto.ts';
import type { EventName } from './names.ts';

export interface NewEvent {
  orgId: number;
  event: EventName;
  /** per-chat delivery order is kept for events that name a chat */
  chatId: number | null;
  /** built by presenters, exactly what a webhook's `eventData` carries */
  eventData: unknown;
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
}

/**
 * This process's committed events, in commit order, for the live hub (events/live-hub.ts).
 * Emitted after COMMIT only (db/after-commit.ts); a rolled-back change emits nothing.
 */
export const committedEvents = new EventEmitter().setMaxListeners(0);

// Every state change writes one: compiled once (db/prepared.ts).
const insertEvent = prepared((db, orgId: number, eventId: string, event: string, chatId: number | null, data: string, at: number) =>
  db
    .insertInto('outbox')
    .values({ organization_id: orgId, event_id: eventId, event, chat_id: chatId, event_data: data, created_at: at })
    .returning('id'),
);

export async function appendEvent(trx: Trx, e: NewEvent): Promise<string> {
  const eventId = newEventId();
  const { rows } = await insertEvent(trx, e.orgId, eventId, e.event, e.chatId, JSON.stringify(e.eventData), e.createdAt);
  const committed: CommittedEvent = {
    position: rows[0].id,
    organizationId: e.orgId,
    id: eventId,
    event: e.event,
    chatId: e.chatId,
    eventData: e.eventData,
    createdAt: e.createdAt,
  };
  afterCommit(trx, () => committedEvents.emit('event', committed));
  return eventId;
}
