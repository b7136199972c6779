// The JSON of inbox sessions (DESIGN rule 3): a sign-in's answer and an admin's session list.
import type { Flag } from '../../db/schema.ts';
import { timestampOut } from '../../lib/timestamps.ts';
import { presentData } from '../../presenters/list.ts';
import { agentRef, type Agent } from '../agents/agents.presenter.ts';
import type { SessionListRow } from './sessions.repository.ts';

/**
 * POST and GET /v1/inbox/session: who is signed in (the Agent as GET /v1/agents shows it),
 * where, the token every change must echo, and the settings the page adapts to.
 */
export function presentSignedIn(agent: Agent, org: { id: number; name: string; agents_may_reassign: Flag }, csrfToken: string) {
  return presentData({
    agent,
    organization: { id: org.id, name: org.name },
    csrfToken,
    settings: { agentsMayReassign: org.agents_may_reassign === 1 },
  });
}

/** one row of GET /v1/inbox/sessions; the token and its hash never leave the server */
export function presentSession(s: SessionListRow) {
  return {
    id: s.id,
    agent: agentRef(s.agent_id, s.agent_name, s.agent_email, s.agent_role),
    createdAt: timestampOut(s.created_at),
    lastSeenAt: timestampOut(s.last_seen_at),
    expiresAt: timestampOut(s.expires_at),
    address: s.address,
    userAgent: s.user_agent,
  };
}
