// The chat changes of API.md §4.2 but the assignee (assignChat's alone, DESIGN rule 2). Each is
// one transaction through changeChat(): the chat (404) → its own checks (400) → the change →
// its outbox events, and the answer is the whole Chat as it now is.
import type { Database, Trx } from '../../db/database.ts';
import type { Flag } from '../../db/schema.ts';
import { Invalid, NotFound } from '../../errors.ts';
import type { EventName } from '../../events/names.ts';
import { appendEvent } from '../../events/outbox.ts';
import type { Clock } from '../../lib/clock.ts';
import { chatClosed, chatWaiting, departmentChanged } from '../../assignment/routing/triggers.ts';
import { findDepartment } from '../departments/departments.repository.ts';
import { readChat } from './chat-reader.ts';
import { chatEventData, type Chat } from './chats.presenter.ts';
import { findChatView, lockChat, type ChatView } from './chats.repository.ts';
import { hasAgentMessage, writeDepartment, writeRating, writeRead, writeSnooze, writeStatus } from './chat-changes.repository.ts';
import type { DepartmentInput, RateInput, ReadInput, SnoozeInput, StatusInput } from './chat-changes.schema.ts';

export interface ChangeCaller {
  orgId: number;
}

/**
 * One change to the chat it is given, inside the transaction: throws for a refused change
 * (after the chat is known to exist, API.md §5 order of checks), writes nothing for a no-op,
 * and returns the events the change causes (none for a no-op).
 */
type Change = (trx: Trx, view: ChatView, now: number) => Promise<EventName[]>;

/** Loads the chat or answers the body-id 404 (API.md §2), applies `change`, answers the Chat. */
export function changeChat(database: Database, clock: Clock, orgId: number, chatId: number, change: Change): Promise<Chat> {
  return database.write(async (trx) => {
    await lockChat(trx, orgId, chatId); // PostgreSQL: concurrent changes of one chat serialise here
    const view = await findChatView(trx, orgId, chatId);
    if (!view) throw new NotFound('Chat', chatId, 'body');
    const now = clock.now();
    const events = await change(trx, view, now);
    const chat = await readChat(trx, orgId, chatId);
    await appendChatEvents(trx, orgId, chat, events, now);
    return chat;
  });
}

/** Outbox events about a chat carry the chat as it is after the change (like `chat.new`). */
export async function appendChatEvents(trx: Trx, orgId: number, chat: Chat, events: EventName[], now: number) {
  for (const event of events) await appendEvent(trx, { orgId, event, chatId: chat.id, eventData: chatEventData(chat), createdAt: now });
}

/**
 * PUT /v1/chats/status. Closing through the API is the team's action: closedBy "agent",
 * closedAt now; any other status clears both (a reopened chat is not closed). Snooze, rating
 * and assignee are left as they are.
 */
export function setStatus(database: Database, clock: Clock, caller: ChangeCaller, input: StatusInput) {
  return changeChat(database, clock, caller.orgId, input.id, async (trx, view, now) => {
    if (view.status === input.status) return [];
    const closing = input.status === 'closed';
    await writeStatus(trx, caller.orgId, view.id, { status: input.status, closedAt: closing ? now : null, closedBy: closing ? 'agent' : null }, now);
    // Routing: a closed chat frees its seat and waits for nobody; a reopened, unassigned one waits again.
    const facts = { orgId: caller.orgId, chatId: view.id, departmentId: view.department_id };
    if (closing) await chatClosed(trx, now, { ...facts, assigneeId: view.assignee_id });
    else if (view.status === 'closed' && view.assignee_id === null) await chatWaiting(trx, now, { ...facts, status: input.status });
    return closing ? ['chat.status_updated', 'chat.closed'] : ['chat.status_updated'];
  });
}

/** PUT /v1/chats/department. API.md §4.5 lists no event for it, so none is written. */
export function setDepartment(database: Database, clock: Clock, caller: ChangeCaller, input: DepartmentInput) {
  const departmentId = input.department ?? null;
  return changeChat(database, clock, caller.orgId, input.id, async (trx, view, now) => {
    // API.md §5: unknown and another organization's department get the same 400.
    if (departmentId !== null && !(await findDepartment(trx, caller.orgId, departmentId))) {
      throw Invalid.field('department', `Department for ID "${departmentId}" was not found`);
    }
    if (view.department_id === departmentId) return [];
    await writeDepartment(trx, caller.orgId, view.id, departmentId, now);
    await departmentChanged(trx, now, { orgId: caller.orgId, chatId: view.id, departmentId, status: view.status, assigneeId: view.assignee_id });
    return [];
  });
}

/**
 * PUT /v1/chats/snooze. Snoozing is orthogonal to status (API.md §4.3 names "closed or
 * snoozed" apart): the status is kept. A new time on a snoozed chat is a new snooze.
 */
export function setSnooze(database: Database, clock: Clock, caller: ChangeCaller, input: SnoozeInput) {
  return changeChat(database, clock, caller.orgId, input.id, async (trx, view, now) => {
    if (view.snoozed_until === input.snoozedUntil) return [];
    await writeSnooze(trx, caller.orgId, view.id, input.snoozedUntil, now);
    return [input.snoozedUntil === null ? 'chat.unsnoozed' : 'chat.snoozed'];
  });
}

export const RATE_REFUSED = {
  notClosed: 'Only a closed chat can be rated.',
  rated: 'The chat is already rated.',
  noAgentMessage: 'Only a chat with a message from an agent can be rated.',
} as const;

/** PUT /v1/chats/rate: only a closed, unrated chat with an agent message (API.md §4.2). */
export function rateChat(database: Database, clock: Clock, caller: ChangeCaller, input: RateInput) {
  return changeChat(database, clock, caller.orgId, input.id, async (trx, view, now) => {
    // The first precondition that fails is the reason given, in this order.
    if (view.status !== 'closed') throw Invalid.field('rating', RATE_REFUSED.notClosed);
    if (view.rating !== null) throw Invalid.field('rating', RATE_REFUSED.rated);
    if (!(await hasAgentMessage(trx, caller.orgId, view.id))) throw Invalid.field('rating', RATE_REFUSED.noAgentMessage);
    await writeRating(trx, caller.orgId, view.id, input.rating, now);
    return ['chat.rated'];
  });
}

/** which flag a read route sets: /readByAgent, /readByCustomer, or /read (both) */
export type ReadSide = 'agent' | 'customer' | 'both';

/** PUT /v1/chats/readByAgent, /readByCustomer, /read. API.md §4.5 has no event for these. */
export function setRead(database: Database, clock: Clock, caller: ChangeCaller, side: ReadSide, input: ReadInput) {
  const flag: Flag = input.read ? 1 : 0;
  return changeChat(database, clock, caller.orgId, input.id, async (trx, view, now) => {
    const byAgent = side === 'customer' ? view.read_by_agent : flag;
    const byCustomer = side === 'agent' ? view.read_by_customer : flag;
    if (byAgent === view.read_by_agent && byCustomer === view.read_by_customer) return [];
    await writeRead(trx, caller.orgId, view.id, { byAgent, byCustomer }, now);
    return [];
  });
}
