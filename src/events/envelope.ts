// The public shape of one event, as a webhook POSTs it (API.md §4.5) and as the live stream's
// `data:` line carries it (API.md §4.8). DESIGN rule 3: this is the only code that shapes it,
// so a webhook receiver and a stream reader parse the same JSON.
import { timestampOut } from '../lib/timestamps.ts';
import type { EventName } from './names.ts';

/** API.md §4.5, key order as listed there */
export interface EventEnvelope {
  /** the event's uuid (outbox event_id), the same on every delivery and on the stream */
  id: string;
  event: EventName;
  eventData: unknown;
  attempts: number;
  /** UNIX seconds as a string (API.md §1), or null before any attempt */
  lastAttemptAt: string | null;
  createdAt: string | null;
}

/** what is known about the event itself: a CommittedEvent or an outbox row read back */
export interface EnvelopeSource {
  id: string;
  event: EventName;
  eventData: unknown;
  /** UNIX seconds */
  createdAt: number;
}

/** webhook delivery state; the live stream has none, so it sends `attempts: 0, lastAttemptAt: null` */
export interface DeliveryState {
  attempts: number;
  /** UNIX seconds */
  lastAttemptAt: number | null;
}

const NOT_DELIVERED: DeliveryState = { attempts: 0, lastAttemptAt: null };

export function presentEventEnvelope(e: EnvelopeSource, delivery: DeliveryState = NOT_DELIVERED): EventEnvelope {
  return {
    id: e.id,
    event: e.event,
    eventData: e.eventData,
    attempts: delivery.attempts,
    lastAttemptAt: timestampOut(delivery.lastAttemptAt),
    createdAt: timestampOut(e.createdAt),
  };
}
