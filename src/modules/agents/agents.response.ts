// Response schemas of agents (API.md §3), next to the request schemas: what agents.presenter.ts
// answers, for the OpenAPI document (src/openapi/). Key order is the presenter's.
import { Type } from '@sinclair/typebox';
import { ext } from '../../presenters/schema.ts';

export const AgentRoleSchema = Type.Union(
  (['admin', 'superviser', 'agent', 'agentChatOnly'] as const).map((r) => Type.Literal(r)),
  { description: '`superviser` is spelled as the reference spells it' },
);

/** AgentRef `{id, name, email, role}` */
export const AgentRefSchema = Type.Object(
  { id: Type.Integer(), name: Type.String(), email: Type.String(), role: AgentRoleSchema },
  { $id: 'AgentRef' },
);

/** Agent: AgentRef's keys plus [ext] presence, active, departments and capacity */
export const agentProperties = {
  id: Type.Integer(),
  name: Type.String(),
  email: Type.String(),
  role: AgentRoleSchema,
  status: ext(Type.Union([Type.Literal('online'), Type.Literal('away'), Type.Literal('offline')]), 'presence, used by routing'),
  active: ext(Type.Boolean(), 'false once deactivated; deactivated agents stay listed'),
  departments: ext(Type.Array(Type.Integer()), 'ids of the departments the agent belongs to'),
  capacity: ext(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]), "the agent's own routing capacity; null = the policy's"),
};
export const AgentSchema = Type.Object(agentProperties, { $id: 'Agent' });
