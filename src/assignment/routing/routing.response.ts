// Response schemas of routing [ext] (API.md §4.7): the policy, a decision's trace, POST
// /v1/chats/{id}/route's answer and the queue, as policy.presenter.ts and routing.presenter.ts
// shape them, for the OpenAPI document (src/openapi/).
import { Type } from '@sinclair/typebox';
import { AgentRefSchema } from '../../modules/agents/agents.response.ts';
import { ChatSchema } from '../../modules/chats/chats.response.ts';
import { CustomerRefSchema } from '../../modules/customers/customers.response.ts';
import { DepartmentRefSchema } from '../../modules/chats/chats.response.ts';
import { ext, Timestamp } from '../../presenters/schema.ts';
import { ROUTING_STRATEGIES } from './policy.ts';

const IntOrNull = Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]);

export const RoutingPolicySchema = ext(
  Type.Object(
    {
      strategy: Type.Union(ROUTING_STRATEGIES.map((s) => Type.Literal(s))),
      capacity: IntOrNull,
      onlineOnly: Type.Boolean(),
      sticky: Type.Boolean(),
      reassignAfterMinutes: IntOrNull,
      offlineGraceMinutes: Type.Integer({ minimum: 0 }),
    },
    { $id: 'RoutingPolicy' },
  ),
);

const EXCLUSIONS = ['deactivated', 'not_in_department', 'away', 'offline', 'no_reply', 'at_capacity'] as const;

export const RoutingTraceSchema = ext(
  Type.Object(
    {
      policy: RoutingPolicySchema,
      candidates: Type.Array(
        Type.Object({
          agent: AgentRefSchema,
          load: Type.Integer({ minimum: 0 }),
          capacity: IntOrNull,
          excluded: Type.Union([...EXCLUSIONS.map((e) => Type.Literal(e)), Type.Null()]),
        }),
      ),
      winner: Type.Union([AgentRefSchema, Type.Null()]),
    },
    { $id: 'RoutingTrace', description: 'why routing chose whom it chose' },
  ),
);

export const RoutedSchema = Type.Object({ chat: ChatSchema, decision: RoutingTraceSchema });

export const QueueLineSchema = ext(
  Type.Object(
    {
      department: Type.Union([DepartmentRefSchema, Type.Null()]),
      waiting: Type.Integer({ minimum: 0 }),
      chats: Type.Array(
        Type.Object({ position: Type.Integer({ minimum: 1 }), id: Type.Integer(), queuedAt: Timestamp, createdAt: Timestamp, customer: CustomerRefSchema }),
      ),
    },
    { $id: 'QueueLine', description: "one department's waiting chats, oldest first" },
  ),
);
