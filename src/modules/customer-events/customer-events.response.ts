// Response schema of a customer Event (API.md §4.4), next to the request schema: what
// customer-events.presenter.ts answers, for the OpenAPI document (src/openapi/).
import { Type } from '@sinclair/typebox';
import { Timestamp } from '../../presenters/schema.ts';

export const CustomerEventSchema = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    data: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Array(Type.Unknown()), Type.Null()], { description: 'as the client sent it' }),
    createdAt: Timestamp,
    customer: Type.Integer({ description: "the customer's id, as HelpCrunch's reference answers it" }),
  },
  { $id: 'CustomerEvent' },
);
