// The customer.* outbox events of API.md §4.5, written in the transaction of the change they
// describe (DESIGN rule 7); eventData comes from the presenter.
import type { Trx } from '../../db/database.ts';
import { appendEvent } from '../../events/outbox.ts';
import type { EventName } from '../../events/names.ts';
import { customerEventData, type Customer } from './customers.presenter.ts';

/** the events a change from `before` to `after` causes, in a fixed order; none for a no-op */
export function customerChangeEvents(before: Customer, after: Customer): EventName[] {
  const events: EventName[] = [];
  if (before.email !== after.email) events.push('customer.email_updated');
  if (JSON.stringify(before.tags) !== JSON.stringify(after.tags)) events.push('customer.tags_changed');
  if (before.unsubscribed !== after.unsubscribed) events.push(after.unsubscribed ? 'customer.unsubscribed' : 'customer.subscribed');
  if (before.blocked !== after.blocked) events.push(after.blocked ? 'customer.blocked' : 'customer.unblocked');
  return events;
}

export async function appendCustomerEvents(trx: Trx, orgId: number, events: EventName[], customer: Customer, at: number) {
  // Customer events name no chat: they carry no per-chat ordering key.
  for (const event of events) await appendEvent(trx, { orgId, event, chatId: null, eventData: customerEventData(customer), createdAt: at });
}
