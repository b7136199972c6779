// The OpenAPI `webhooks` section (API.md §4.5, §4.8): one entry per event name of
// events/names.ts, each the envelope events/envelope.ts shapes with that event's eventData, as
// the presenters build it. The live stream's `data:` lines carry the same envelope.
import { Type, type TSchema } from '@sinclair/typebox';
import { ChatAssignedDataSchema } from '../assignment/history.response.ts';
import { EVENTS, type EventName } from '../events/names.ts';
import { AgentSchema } from '../modules/agents/agents.response.ts';
import { ChatSchema } from '../modules/chats/chats.response.ts';
import { CustomerSchema } from '../modules/customers/customers.response.ts';
import { MessageSchema } from '../modules/messages/messages.response.ts';
import { EXTENSION, Timestamp, TimestampOrNull } from '../presenters/schema.ts';

/** eventData by the event's family; `chat.assigned` and the [ext] `agent.status_updated` have their own */
function eventData(event: EventName): TSchema {
  if (event === 'chat.assigned') return ChatAssignedDataSchema;
  if (event === 'agent.status_updated') return Type.Object({ agent: AgentSchema });
  if (event.startsWith('chat.')) return Type.Object({ chat: ChatSchema }, { description: 'the chat after the change' });
  if (event.startsWith('customer.')) return Type.Object({ customer: CustomerSchema }, { description: 'the customer (after the change; as it was, when deleted)' });
  return Type.Object({ message: MessageSchema, chat: ChatSchema }, { description: 'the message and its chat after it' });
}

/** the body of one delivery, for one event name */
export function envelopeOf(event: EventName): TSchema {
  return Type.Object({
    id: Type.String({ format: 'uuid', description: 'the same on every retry and on the live stream: an idempotency key' }),
    event: Type.Literal(event),
    eventData: eventData(event),
    attempts: Type.Integer({ minimum: 0, description: 'earlier attempts: 0 on the first' }),
    lastAttemptAt: TimestampOrNull,
    createdAt: Timestamp,
  });
}

const header = (description: string, ext = false) => ({ required: true, schema: { type: 'string' }, description, ...(ext ? { [EXTENSION]: true } : {}) });

const HEADERS = {
  'X-HelpCrunch-Signature': header("lowercase hex HMAC-SHA1 of the raw body, keyed with the organization's webhook signing key"),
  'webhook-id': header('Standard Webhooks: the event id (the envelope\'s `id`)', true),
  'webhook-timestamp': header('Standard Webhooks: UNIX seconds of this attempt', true),
  'webhook-signature': header('Standard Webhooks: `v1,` + base64 HMAC-SHA256 of `id.timestamp.body`, keyed with the signing key', true),
};

/** OpenAPI 3.1 `webhooks`: a POST per event name to the subscription's URL */
export function webhooksSection(schemaOf: (s: TSchema) => unknown): Record<string, unknown> {
  return Object.fromEntries(
    EVENTS.map((event) => [
      event,
      {
        post: {
          summary: `${event}`,
          description: 'Delivered at least once, in per-chat order, retried with backoff; any 2xx acknowledges it, a 410 disables the subscription.',
          ...(event === 'agent.status_updated' ? { [EXTENSION]: true } : {}),
          parameters: Object.entries(HEADERS).map(([name, h]) => ({ name, in: 'header', ...h })),
          requestBody: { required: true, content: { 'application/json': { schema: schemaOf(envelopeOf(event)) } } },
          responses: { '2XX': { description: 'received' } },
        },
      },
    ]),
  );
}
