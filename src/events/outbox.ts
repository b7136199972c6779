// The transactional outbox (DESIGN rule 7): events are written in the same transaction as the
// change they describe and delivered after commit by the webhook worker and the live stream.
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

// Every state change writes one: compiled once (db/prepared.ts).
const insertEvent = prepared((db, orgId: number, eventId: string, event: string, chatId: number | null, data: string, at: number) =>
  db.insertInto('outbox').values({ organization_id: orgId, event_id: eventId, event, chat_id: chatId, event_data: data, created_at: at }),
);

export async function appendEvent(trx: Trx, e: NewEvent): Promise<string> {
  const eventId = newEventId();
  await insertEvent(trx, e.orgId, eventId, e.event, e.chatId, JSON.stringify(e.eventData), e.createdAt);
  return eventId;
}
