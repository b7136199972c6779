// The transactional outbox (DESIGN rule 7): events are written in the same transaction as the
// change they describe and delivered after commit by the webhook worker and the live stream.
import type { Trx } from '../db/database.ts';
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

export async function appendEvent(trx: Trx, e: NewEvent): Promise<string> {
  const eventId = newEventId();
  await trx
    .insertInto('outbox')
    .values({
      organization_id: e.orgId,
      event_id: eventId,
      event: e.event,
      chat_id: e.chatId,
      event_data: JSON.stringify(e.eventData),
      created_at: e.createdAt,
    })
    .execute();
  return eventId;
}
