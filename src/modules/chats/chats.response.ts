// Response schema of a Chat (API.md §3), next to the request schemas: what chats.presenter.ts
// answers, for the OpenAPI document (src/openapi/). Key order is the presenter's.
import { Type } from '@sinclair/typebox';
import { Timestamp, TimestampOrNull } from '../../presenters/schema.ts';
import { AgentRefSchema } from '../agents/agents.response.ts';
import { CustomerRefSchema } from '../customers/customers.response.ts';
import { CHAT_STATUSES, RATINGS } from './chat-values.ts';

const literals = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));

export const ChatStatusSchema = literals(CHAT_STATUSES);

export const DepartmentRefSchema = Type.Object({ id: Type.Integer(), name: Type.String() }, { $id: 'DepartmentRef' });

export const ChatSchema = Type.Object(
  {
    id: Type.Integer(),
    closedBy: Type.Union([Type.Literal('customer'), Type.Literal('agent'), Type.Null()]),
    lastCustomerMessageAt: TimestampOrNull,
    status: ChatStatusSchema,
    closedAt: TimestampOrNull,
    rating: Type.Union([literals(RATINGS), Type.Null()]),
    createdAt: Timestamp,
    lastMessageAt: TimestampOrNull,
    readByAgent: Type.Boolean(),
    readByCustomer: Type.Boolean(),
    createdWith: literals(['public_api', 'broadcast_reply', 'agent_message', 'customer_message']),
    snoozedUntil: TimestampOrNull,
    lastMessageText: Type.Union([Type.String(), Type.Null()]),
    lastMessageId: Type.Union([Type.Integer(), Type.Null()]),
    applicationId: Type.Integer(),
    lastCommunicatedAgentId: Type.Union([Type.Integer(), Type.Null()]),
    agents: Type.Array(AgentRefSchema, { description: 'agents who sent at least one message' }),
    customer: CustomerRefSchema,
    assignee: Type.Union([AgentRefSchema, Type.Null()]),
    department: Type.Union([DepartmentRefSchema, Type.Null()]),
  },
  { $id: 'Chat' },
);
