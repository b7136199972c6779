// Response schemas of customers (API.md §3), next to the request schemas: what
// customers.presenter.ts answers, for the OpenAPI document (src/openapi/).
import { Type } from '@sinclair/typebox';
import { TimestampOrNull } from '../../presenters/schema.ts';

const Text = Type.Union([Type.String(), Type.Null()]);

/** CustomerRef `{id, name, email, userId}` */
export const CustomerRefSchema = Type.Object({ id: Type.Integer(), name: Text, email: Text, userId: Text }, { $id: 'CustomerRef' });

export const TagSchema = Type.Object({ name: Type.String(), color: Type.String() }, { $id: 'Tag' });

/** Customer, key order of API.md §3 */
export const CustomerSchema = Type.Object(
  {
    id: Type.Integer(),
    name: Text,
    email: Text,
    userId: Text,
    company: Text,
    phone: Text,
    firstSeen: TimestampOrNull,
    lastSeen: TimestampOrNull,
    location: Type.Object({ regionCode: Text, countryCode: Text, city: Text }),
    device: Type.Union([Type.Object({ id: Text, ip: Text, timezone: Text, platform: Text, userAgent: Text }), Type.Null()]),
    unsubscribed: Type.Boolean(),
    blocked: Type.Boolean(),
    source: Text,
    referer: Text,
    lastPage: Text,
    locale: Text,
    createdFrom: Text,
    integrationId: Type.Union([Type.String({ pattern: '^[0-9]+$', description: "a digit string, as HelpCrunch's reference answers it" }), Type.Null()]),
    notes: Text,
    tags: Type.Array(TagSchema),
    customData: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()])),
  },
  { $id: 'Customer' },
);
