// Response schema of GET /v1/inbox/agents' items [ext] (docs/inbox.md): what inbox.presenter.ts
// answers, for the OpenAPI document (src/openapi/).
import { Type } from '@sinclair/typebox';
import { ext } from '../../presenters/schema.ts';
import { agentProperties } from '../agents/agents.response.ts';

export const InboxAgentSchema = ext(
  Type.Object({ ...agentProperties, openChats: Type.Integer({ minimum: 0, description: 'the agent\'s open chats now' }) }, { $id: 'InboxAgent' }),
);
