// assignChat(): the one path every assignment takes — API, inbox, routing, CLI (DESIGN rule
// 2). It reads the chat and everything it decides from at once, checks, and writes the chat,
// the history row, the `chat.assigned` outbox event and what routing does about it at once
// (assignment.repository.ts: two statements on PostgreSQL, the write guarded by the version of
// the chat read; SQLite runs both inside write()'s transaction). A no-op writes nothing.
import { StaleRead, type Trx } from '../db/database.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../errors.ts';
import type { Clock } from '../lib/clock.ts';
import type { AgentRefRow } from '../modules/agents/agents.repository.ts';
import { presentChat, type Chat } from '../modules/chats/chats.presenter.ts';
import type { AssignedBy, AssignmentSource } from './actor.ts';
import { judgeAssignable } from './assignable.ts';
import { assignmentFacts, writeAssignment } from './assignment.repository.ts';
import { chatAssignedEventData, chatAssignedEventJson } from './history.presenter.ts';
import { inboxAssignmentRefusal, type InboxPermission } from './inbox-permission.ts';
import { assigneeRouting } from './routing/triggers.ts';

export interface AssignChat {
  orgId: number;
  chatId: number;
  /** null unassigns */
  assigneeId: number | null;
  /** [ext] compare-and-set: undefined = not asked; null = "only if unassigned" */
  expectedAssignee?: number | null;
  by: AssignedBy;
  source: AssignmentSource;
  reason?: string | null;
  trace?: unknown;
  /** an inbox session's assignment: judged against the chat's current assignee (inbox-permission.ts) */
  permission?: InboxPermission;
}

export interface AssignedChat {
  /** the chat as the assignment left it */
  chat: Chat;
  /** `JSON.stringify(chat)`: the answer's bytes, and the chat inside the event's eventData */
  json: string;
  changed: boolean;
}

/**
 * Run it in `database.write(…, { singleStatement: true })` when it is the whole write (its one
 * write statement guards what it read), or inside a larger transaction, where it locks the chat.
 */
export async function assignChat(trx: Trx, clock: Clock, cmd: AssignChat): Promise<AssignedChat> {
  // Order of checks, API.md §5: the chat (404) → other entities (400) → expectedAssignee (409);
  // an inbox session's permission (403) right after the chat, before the assignee is judged:
  // a refused agent learns nothing about other agents (docs/inbox.md).
  // The answer is built from the chat as read and the new assignee (an assignment changes
  // nothing else a Chat shows).
  // In a transaction the chat row is locked until it ends: concurrent assignments serialise
  // here (API.md §4.3). A single-statement write reads without a lock (assignment.repository.ts).
  const facts = await assignmentFacts(trx, cmd.orgId, cmd.chatId, cmd.assigneeId, trx.isTransaction);
  if (!facts) throw new NotFound('Chat', cmd.chatId, 'body');
  const { view, agents } = facts;
  if (cmd.permission) {
    const refusal = inboxAssignmentRefusal(cmd.permission, view.assignee_id, cmd.assigneeId);
    if (refusal) throw new Forbidden('forbidden', refusal);
  }

  let assignee: AgentRefRow | null = null;
  if (cmd.assigneeId !== null) {
    const check = judgeAssignable(cmd.assigneeId, facts.agent);
    if (!check.ok) throw Invalid.field('assignee', check.reason);
    assignee = check.agent;
  }

  const previousId = view.assignee_id;
  if (cmd.expectedAssignee !== undefined && cmd.expectedAssignee !== previousId) {
    throw new Conflict(
      `Chat ${cmd.chatId} is ${previousId === null ? 'unassigned' : `assigned to agent ${previousId}`}, ` +
        `not ${cmd.expectedAssignee === null ? 'unassigned' : `to agent ${cmd.expectedAssignee}`} as expected`,
    );
  }

  if (previousId === cmd.assigneeId) {
    const chat = presentChat(view, agents);
    return { chat, json: JSON.stringify(chat), changed: false };
  }

  const now = clock.now();
  const chat = presentChat(
    {
      ...view,
      assignee_id: assignee?.id ?? null,
      assignee_name: assignee?.name ?? null,
      assignee_email: assignee?.email ?? null,
      assignee_role: assignee?.role ?? null,
      updated_at: now,
    },
    agents,
  );
  const json = JSON.stringify(chat);
  const eventData = chatAssignedEventData(chat, view, cmd.by, cmd.source);
  const written = await writeAssignment(trx, {
    orgId: cmd.orgId,
    chatId: cmd.chatId,
    version: facts.version,
    from: previousId,
    to: cmd.assigneeId,
    at: now,
    by: cmd.by,
    source: cmd.source,
    reason: cmd.reason ?? null,
    trace: cmd.trace,
    event: { orgId: cmd.orgId, event: 'chat.assigned', chatId: cmd.chatId, eventData, eventJson: chatAssignedEventJson(json, eventData), createdAt: now },
    // Routing follows every change of assignee, whoever made it: the queue, seats, the no-reply timer.
    routing: assigneeRouting(now, { status: view.status, from: previousId, to: cmd.assigneeId, queuedAt: view.queued_at }, facts.policy),
  });
  // Changed nothing: another write of the chat committed after the unlocked read. Again, in a
  // transaction that locks it (never inside one: the lock keeps the version read).
  if (!written) throw new StaleRead();
  return { chat, json, changed: true };
}
