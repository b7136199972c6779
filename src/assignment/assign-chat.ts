// assignChat(): the one path every assignment takes — API, inbox, routing, CLI (DESIGN rule
// 2). Inside the caller's transaction it checks, writes the chat, appends the history row and
// the `chat.assigned` outbox event; a no-op writes nothing.
import type { Trx } from '../db/database.ts';
import { Conflict, Invalid, NotFound } from '../errors.ts';
import { appendEvent } from '../events/outbox.ts';
import type { Clock } from '../lib/clock.ts';
import { agentRef } from '../modules/agents/agents.presenter.ts';
import { findAgent } from '../modules/agents/agents.repository.ts';
import { findChatAssignee, writeAssignee } from '../modules/chats/chats.repository.ts';
import { readChat } from '../modules/chats/chat-reader.ts';
import type { AssignedBy, AssignmentSource } from './actor.ts';
import { appendAssignment } from './history.repository.ts';
import { unassignableReason } from './assignable.ts';

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
}

export async function assignChat(trx: Trx, clock: Clock, cmd: AssignChat) {
  // Order of checks, API.md §5: the chat (404) → other entities (400) → expectedAssignee (409).
  const current = await findChatAssignee(trx, cmd.orgId, cmd.chatId);
  if (!current) throw new NotFound('Chat', cmd.chatId, 'body');

  if (cmd.assigneeId !== null) {
    const reason = await unassignableReason(trx, cmd.orgId, cmd.assigneeId);
    if (reason) throw Invalid.field('assignee', reason);
  }

  const previousId = current.assignee_id;
  if (cmd.expectedAssignee !== undefined && cmd.expectedAssignee !== previousId) {
    throw new Conflict(
      `Chat ${cmd.chatId} is ${previousId === null ? 'unassigned' : `assigned to agent ${previousId}`}, ` +
        `not ${cmd.expectedAssignee === null ? 'unassigned' : `to agent ${cmd.expectedAssignee}`} as expected`,
    );
  }

  if (previousId === cmd.assigneeId) return { chat: await readChat(trx, cmd.orgId, cmd.chatId), changed: false };

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
  const chat = await readChat(trx, cmd.orgId, cmd.chatId);
  const previous = previousId === null ? null : await findAgent(trx, cmd.orgId, previousId);
  await appendEvent(trx, {
    orgId: cmd.orgId,
    event: 'chat.assigned',
    chatId: cmd.chatId,
    eventData: {
      chat,
      assignee: chat.assignee,
      previousAssignee: previous ? agentRef(previous) : null,
      assignedBy: cmd.by,
      source: cmd.source,
    },
    createdAt: now,
  });
  return { chat, changed: true };
}
