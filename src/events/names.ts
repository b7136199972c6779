// Event names of API.md §4.5, the only spelling used by the outbox, webhooks and the stream,
// then Handoff's own [ext] events (docs/compatibility.md): a subscription asks for them by name
// like the others, and `*` includes them.
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
  // [ext] an agent's presence changed (PUT /v1/agents/{id}/status): `{agent: Agent}`
  'agent.status_updated',
] as const;

export type EventName = (typeof EVENTS)[number];
