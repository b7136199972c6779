// Response schemas of the inbox's sessions [ext] (docs/inbox.md): what sessions.presenter.ts
// answers, for the OpenAPI document (src/openapi/).
import { Type } from '@sinclair/typebox';
import { ext, Timestamp } from '../../presenters/schema.ts';
import { AgentRefSchema, AgentSchema } from '../agents/agents.response.ts';

export const SignedInSchema = ext(
  Type.Object(
    {
      data: Type.Object({
        agent: AgentSchema,
        organization: Type.Object({ id: Type.Integer(), name: Type.String() }),
        csrfToken: Type.String({ description: 'every change made with the session cookie must echo it in X-CSRF-Token' }),
        settings: Type.Object({ agentsMayReassign: Type.Boolean() }),
      }),
    },
    { $id: 'SignedIn' },
  ),
);

export const SessionSchema = ext(
  Type.Object(
    {
      id: Type.Integer(),
      agent: AgentRefSchema,
      createdAt: Timestamp,
      lastSeenAt: Timestamp,
      expiresAt: Timestamp,
      address: Type.String(),
      userAgent: Type.String(),
    },
    { $id: 'InboxSession' },
  ),
);
