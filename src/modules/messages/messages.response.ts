// Response schema of a Message (API.md §3), next to the request schema: what
// messages.presenter.ts answers, for the OpenAPI document (src/openapi/).
import { Type } from '@sinclair/typebox';
import { Timestamp } from '../../presenters/schema.ts';
import { AgentRefSchema } from '../agents/agents.response.ts';

export const MessageSchema = Type.Object(
  {
    id: Type.Integer(),
    agent: Type.Union([AgentRefSchema, Type.Null()], { description: "null on a customer's message" }),
    type: Type.Union((['message', 'private', 'tech', 'email', 'knowledgeBase'] as const).map((t) => Type.Literal(t))),
    text: Type.String(),
    read: Type.Boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    edited: Type.Boolean(),
    broadcastType: Type.Union([Type.String(), Type.Null()]),
    chat: Type.Integer({ description: "the chat's id" }),
    from: Type.Union([Type.Literal('agent'), Type.Literal('customer')]),
  },
  { $id: 'Message' },
);
