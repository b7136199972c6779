// Webhook JSON (API.md §4.5, §4.8). Presenters are the only code that shapes public JSON
// (DESIGN rule 3): the subscription and the delivery-log entry; a delivery's body is the shared
// event envelope (events/envelope.ts).
import { presentEventEnvelope } from '../../events/envelope.ts';
import type { EventName } from '../../events/names.ts';
import { timestampOut } from '../../lib/timestamps.ts';
import type { AttemptRow, OperatorWebhookRow, WebhookRow } from './webhooks.repository.ts';

/** Subscription `{id, url, events, active, createdAt}` */
export const presentWebhook = (w: WebhookRow) => ({
  id: w.id,
  url: w.url,
  events: JSON.parse(w.events) as string[],
  active: w.active === 1,
  createdAt: timestampOut(w.created_at),
});

export type Webhook = ReturnType<typeof presentWebhook>;

/**
 * `handoff webhook list|pause|resume --json`: the subscription, then since when and why it is
 * disabled (a 410 from its receiver, or an operator's pause); both null while it is active.
 */
export const presentWebhookForOperator = (w: OperatorWebhookRow) => ({
  ...presentWebhook(w),
  disabledAt: timestampOut(w.disabled_at),
  disabledReason: w.disabled_reason,
});

export type OperatorWebhook = ReturnType<typeof presentWebhookForOperator>;

/** Delivery-log entry `{id, eventId, event, attempt, status, responseCode, durationMs, error, createdAt}` */
export const presentAttempt = (a: AttemptRow) => ({
  id: a.id,
  eventId: a.event_id,
  event: a.event,
  attempt: a.attempt,
  status: a.status,
  responseCode: a.response_code,
  durationMs: a.duration_ms,
  error: a.error,
  createdAt: timestampOut(a.created_at),
});

export interface EnvelopeEvent {
  /** the event's UUID (outbox.event_id) */
  eventId: string;
  event: string;
  /** outbox.event_data: the JSON the use case's presenters built, as stored */
  eventDataJson: string;
  createdAt: number;
}

/**
 * The exact body of one delivery (API.md §4.5): the event envelope the live stream carries too
 * (events/envelope.ts), with this attempt's delivery state. `attempts` counts the earlier
 * attempts (0 on the first, as HelpCrunch sends it) and `lastAttemptAt` is the time of the
 * previous one (null on the first). The string returned is what is signed and sent.
 */
export function webhookBody(e: EnvelopeEvent, attempts: number, lastAttemptAt: number | null): string {
  const source = { id: e.eventId, event: e.event as EventName, eventData: JSON.parse(e.eventDataJson) as unknown, createdAt: e.createdAt };
  return JSON.stringify(presentEventEnvelope(source, { attempts, lastAttemptAt }));
}
