// Fan-out (issue 6 item 3): committed outbox events become queue rows, one per matching active
// subscription of the event's organization, in one transaction with marking the events done —
// so a crash either leaves an event unfanned (done again after restart) or fully queued. Only
// events some subscription wanted when they were written are pending (events/outbox.ts): an
// organization without subscriptions costs nothing here.
import type { Database, Trx } from '../../../db/database.ts';
import type { Clock } from '../../../lib/clock.ts';
import {
  activeWebhooksOf,
  chatsWithPending,
  insertDeliveries,
  lockForFanOut,
  markFannedOut,
  unfannedEvents,
  type NewDelivery,
} from '../deliveries.repository.ts';
import { ALL_EVENTS } from '../../../events/webhook-interest.ts';

/** events per transaction: keeps each write short so requests are not held up behind it */
export const FAN_OUT_BATCH = 200;

/**
 * Fans out up to `batch` events; resolves with how many were taken (0: nothing to do, or on
 * PostgreSQL another instance is fanning out right now).
 *
 * Per-chat order rests on two facts: every writer of a chat's events locks the chat row first
 * (lockChat, assignChat's locking read or version-guarded update, or the wake-up's guarded
 * update), so a chat's events commit in position order and are fanned out in that order; and a
 * delivery queued while an earlier one of the same chat to the same subscription is pending is
 * `held` until that one is settled.
 */
export function fanOut(database: Database, clock: Clock, batch = FAN_OUT_BATCH): Promise<number> {
  return database.write((trx) => fanOutIn(trx, clock, batch));
}

/** the same, inside the caller's transaction (the worker claims in the same one) */
export async function fanOutIn(trx: Trx, clock: Clock, batch = FAN_OUT_BATCH): Promise<number> {
  if (!(await lockForFanOut(trx))) return 0;
  const events = await unfannedEvents(trx, batch);
  if (events.length === 0) return 0;
  const hooks = await activeWebhooksOf(trx, [...new Set(events.map((e) => e.organization_id))]);
  const byOrg = new Map<number, Array<{ id: number; wants: (event: string) => boolean; since: number }>>();
  for (const h of hooks) {
    const names = new Set(JSON.parse(h.events) as string[]);
    const wants = names.has(ALL_EVENTS) ? () => true : (event: string) => names.has(event);
    byOrg.set(h.organization_id, [...(byOrg.get(h.organization_id) ?? []), { id: h.id, wants, since: h.since_generation }]);
  }
  const chatIds = [...new Set(events.flatMap((e) => (e.chat_id === null ? [] : [e.chat_id])))];
  const busy = await chatsWithPending(trx, hooks.map((h) => h.id), chatIds);
  const now = clock.now();
  const rows: NewDelivery[] = [];
  for (const e of events) {
    for (const h of byOrg.get(e.organization_id) ?? []) {
      // A subscription gets exactly the events committed after it was created, not the backlog:
      // those written under its organization's generation or a later one (not the clock, which
      // was read before commit, and differs between instances; events/
      // webhook-interest.ts argues it).
      if (!h.wants(e.event) || e.webhook_generation < h.since) continue;
      const chat = e.chat_id === null ? null : `${h.id}:${e.chat_id}`;
      const held = chat !== null && busy.has(chat) ? 1 : 0;
      if (chat !== null) busy.add(chat);
      rows.push({ organization_id: e.organization_id, webhook_id: h.id, outbox_id: e.id, chat_id: e.chat_id, held, next_attempt_at: now, created_at: now });
    }
  }
  await insertDeliveries(trx, rows);
  await markFannedOut(trx, events.map((e) => e.id));
  return events.length;
}
