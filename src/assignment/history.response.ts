// Response schemas of the [ext] assignment history (API.md §4.6, §4.7, §5) and of the
// `chat.assigned` event's eventData (§4.5): what history.presenter.ts answers, for the OpenAPI
// document (src/openapi/).
import { Type } from '@sinclair/typebox';
import { AgentRefSchema } from '../modules/agents/agents.response.ts';
import { ChatSchema } from '../modules/chats/chats.response.ts';
import { ext, Timestamp } from '../presenters/schema.ts';
import { RoutingTraceSchema } from './routing/routing.response.ts';

const AgentRefOrNull = Type.Union([AgentRefSchema, Type.Null()]);

export const AssignedBySchema = Type.Object(
  {
    type: Type.Union([Type.Literal('api_key'), Type.Literal('agent'), Type.Literal('system')]),
    id: Type.Union([Type.Integer(), Type.Null()]),
    name: Type.String(),
  },
  { $id: 'AssignedBy', description: 'who assigned: an API key, an agent of the inbox, or the system (routing, cli)' },
);

export const AssignmentSourceSchema = Type.Union((['api', 'inbox', 'auto', 'cli'] as const).map((s) => Type.Literal(s)));

export const AssignmentSchema = ext(
  Type.Object(
    {
      id: Type.Integer(),
      chat: Type.Integer(),
      from: AgentRefOrNull,
      to: AgentRefOrNull,
      assignedBy: AssignedBySchema,
      source: AssignmentSourceSchema,
      reason: Type.Union([Type.String(), Type.Null()]),
      createdAt: Timestamp,
      trace: Type.Optional(RoutingTraceSchema),
    },
    { $id: 'Assignment', description: 'one row of the assignment history; `trace` only on a row written by routing' },
  ),
);

/** `chat.assigned` eventData: the chat and its assignee, plus [ext] previousAssignee, assignedBy, source */
export const ChatAssignedDataSchema = Type.Object({
  chat: ChatSchema,
  assignee: AgentRefOrNull,
  previousAssignee: ext(AgentRefOrNull),
  assignedBy: ext(AssignedBySchema),
  source: ext(AssignmentSourceSchema),
});
