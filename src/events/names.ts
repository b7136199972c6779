// Event names of API.md §4.5, the only spelling used by the outbox, webhooks and the stream.
export const EVENTS = [
  'chat.new',
  'chat.status_updated',
  'chat.assigned',
  'chat.snoozed',
  'chat.unsnoozed',
  'chat.closed',
  'chat.rated',
  'customer.new',
  'customer.email_updated',
  'customer.tags_changed',
  'customer.unsubscribed',
  'customer.subscribed',
  'customer.blocked',
  'customer.unblocked',
  'customer.deleted',
  'message.chat.customer',
  'message.chat.agent',
  'message.private',
] as const;

export type EventName = (typeof EVENTS)[number];
