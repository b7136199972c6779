// Response schemas of webhook subscriptions and their delivery log [ext] (API.md §4.8): what
// webhooks.presenter.ts answers, for the OpenAPI document (src/openapi/).
import { Type } from '@sinclair/typebox';
import { ext, Timestamp } from '../../presenters/schema.ts';

export const WebhookSchema = ext(
  Type.Object(
    { id: Type.Integer(), url: Type.String(), events: Type.Array(Type.String()), active: Type.Boolean(), createdAt: Timestamp },
    { $id: 'WebhookSubscription', description: '`events` holds event names, or `*` for all of them' },
  ),
);

export const DeliverySchema = ext(
  Type.Object(
    {
      id: Type.Integer(),
      eventId: Type.String({ format: 'uuid' }),
      event: Type.String(),
      attempt: Type.Integer({ minimum: 1 }),
      status: Type.Union((['delivered', 'failed', 'blocked', 'pending'] as const).map((s) => Type.Literal(s))),
      responseCode: Type.Union([Type.Integer(), Type.Null()]),
      durationMs: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
      error: Type.Union([Type.String(), Type.Null()]),
      createdAt: Timestamp,
    },
    { $id: 'WebhookDelivery' },
  ),
);
