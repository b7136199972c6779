// assignChat(): the one path every assignment takes — API, inbox, routing, CLI (DESIGN rule
// 2). Inside the caller's transaction it checks, writes the chat, appends the history row and
// the `chat.assigned` outbox event; a no-op writes nothing.
import { assigneeChanged } from './routing/triggers.ts';
import type { Trx } from '../db/database.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../errors.ts';
import { appendEvent } from '../events/outbox.ts';
import type { Clock } from '../lib/clock.ts';
import type { AgentRefRow } from '../modules/agents/agents.repository.ts';
import { presentChat } from '../modules/chats/chats.presenter.ts';
import { chatAgents, findChatView, lockChat, writeAssignee } from '../modules/chats/chats.repository.ts';
import type { AssignedBy, AssignmentSource } from './actor.ts';
import { assignable } from './assignable.ts';
import { inboxAssignmentRefusal, type InboxPermission } from './inbox-permission.ts';
import { chatAssignedEventData } from './history.presenter.ts';
import { appendAssignment } from './history.repository.ts';

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

export async function assignChat(trx: Trx, clock: Clock, cmd: AssignChat) {
  // Order of checks, API.md §5: the chat (404) → other entities (400) → expectedAssignee (409);
  // an inbox session's permission (403) right after the chat, before the assignee is looked
  // up: a refused agent learns nothing about other agents (docs/inbox.md).
  // The chat is read once, before the write: the answer is built from it and the new
  // assignee (an assignment changes nothing else a Chat shows).
  await lockChat(trx, cmd.orgId, cmd.chatId); // concurrent assignments serialise here (API.md §4.3)
  const view = await findChatView(trx, cmd.orgId, cmd.chatId);
  if (!view) throw new NotFound('Chat', cmd.chatId, 'body');
  if (cmd.permission) {
    const refusal = inboxAssignmentRefusal(cmd.permission, view.assignee_id, cmd.assigneeId);
    if (refusal) throw new Forbidden('forbidden', refusal);
  }

  let assignee: AgentRefRow | null = null;
  if (cmd.assigneeId !== null) {
    const check = await assignable(trx, cmd.orgId, cmd.assigneeId);
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

  const agents = await chatAgents(trx, cmd.orgId, cmd.chatId);
  if (previousId === cmd.assigneeId) return { chat: presentChat(view, agents), changed: false };

  const now = clock.now();
  await writeAssignee(trx, cmd.orgId, cmd.chatId, cmd.assigneeId, now);
  await appendAssignment(trx, {
    orgId: cmd.orgId,
    chatId: cmd.chatId,
    from: previousId,
    to: cmd.assigneeId,
    by: cmd.by,
    source: cmd.source,
    reason: cmd.reason ?? null,
    trace: cmd.trace,
    createdAt: now,
  });
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
  await appendEvent(trx, {
    orgId: cmd.orgId,
    event: 'chat.assigned',
    chatId: cmd.chatId,
    eventData: chatAssignedEventData(chat, view, cmd.by, cmd.source),
    createdAt: now,
  });
  // Routing follows every change of assignee, whoever made it: the queue, seats, the no-reply timer.
  await assigneeChanged(trx, now, { orgId: cmd.orgId, chatId: cmd.chatId, departmentId: view.department_id, status: view.status, from: previousId, to: cmd.assigneeId, queuedAt: view.queued_at });
  return { chat, changed: true };
}
