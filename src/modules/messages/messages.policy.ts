// A message sent from the inbox is written by the signed-in agent (docs/inbox.md, "Who may do
// what"): the session fills in an absent `agent`, and naming anyone else is refused.
import { Forbidden } from '../../errors.ts';
import type { CreateMessageInput } from './messages.schema.ts';

/**
 * The body with the session's agent as `agent` when it names none (absent, null or ""), so a
 * reply or a private note from the inbox needs no `agent`. Only an object body is completed:
 * anything else is left for the body's own 400.
 */
export function withSessionAgent(raw: unknown, session: { agentId: number } | null): unknown {
  if (!session || raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const agent = (raw as Record<string, unknown>).agent;
  return agent === undefined || agent === null || agent === '' ? { ...raw, agent: session.agentId } : raw;
}

/** after the body's field checks, before the chat is looked up: it depends on the body alone */
export function requireOwnMessage(input: CreateMessageInput, session: { agentId: number } | null): void {
  if (session && input.agent !== session.agentId) {
    throw new Forbidden('forbidden', 'A message sent from the inbox is written by the signed-in agent; another agent cannot be named.');
  }
}
