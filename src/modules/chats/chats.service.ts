import type { AssignedBy } from '../../assignment/actor.ts';
import { chatWaiting } from '../../assignment/routing/triggers.ts';
import { assignChat } from '../../assignment/assign-chat.ts';
import { assignable } from '../../assignment/assignable.ts';
import type { Database, Executor } from '../../db/database.ts';
import type { AgentRole } from '../../db/schema.ts';
import { Invalid, NotFound, type ErrorItem } from '../../errors.ts';
import { appendEvent } from '../../events/outbox.ts';
import type { Clock } from '../../lib/clock.ts';
import { findApplication } from '../applications/applications.repository.ts';
import { findCustomer } from '../customers/customers.repository.ts';
import { findDepartment } from '../departments/departments.repository.ts';
import { findOrganizationSettings } from '../organizations/organizations.repository.ts';
import { findChat, readChat } from './chat-reader.ts';
import { chatEventData } from './chats.presenter.ts';
import { insertChat } from './chats.repository.ts';
import type { AssigneeInput, CreateChatInput } from './chats.schema.ts';

export interface Caller {
  orgId: number;
  actor: AssignedBy;
  /** an inbox session's agent (docs/inbox.md); absent or null for an API key, which may do anything */
  session?: { agentId: number; role: AgentRole } | null;
}

export async function getChat(db: Executor, orgId: number, chatId: number) {
  const chat = await findChat(db, orgId, chatId);
  if (!chat) throw new NotFound('Chat', chatId);
  return chat;
}

/**
 * PUT /v1/chats/assignee: one write through assignChat (DESIGN rule 2), a single-statement one
 * (its write guards what it read: on PostgreSQL two statements and no BEGIN/COMMIT). From the
 * inbox (a session) it is `source: "inbox"` and judged by the agent's role and the
 * organization's setting, read just before, so a setting just changed applies at once. Answers
 * the chat's JSON text, the same bytes as the event's chat.
 */
export async function setAssignee(database: Database, clock: Clock, caller: Caller, input: AssigneeInput): Promise<string> {
  const session = caller.session ?? null;
  const { json } = await database.write(
    async (trx) =>
      assignChat(trx, clock, {
        orgId: caller.orgId,
        chatId: input.id,
        assigneeId: input.assignee as number | null,
        expectedAssignee: input.expectedAssignee,
        by: caller.actor,
        source: session ? 'inbox' : 'api',
        ...(session && {
          permission: {
            agentId: session.agentId,
            role: session.role,
            agentsMayReassign: (await findOrganizationSettings(trx, caller.orgId))?.agents_may_reassign === 1,
          },
        }),
      }),
    { singleStatement: true },
  );
  return json;
}

/** POST /v1/chats: an empty chat; an `assignee` goes through assignChat like any other (API.md §5). */
export function createChat(database: Database, clock: Clock, caller: Caller, input: CreateChatInput) {
  const { orgId } = caller;
  return database.write(async (trx) => {
    // API.md §5: other ids in a body that are unknown, foreign or deactivated → 400 naming the field.
    const items: ErrorItem[] = [];
    const customer = await findCustomer(trx, orgId, input.customer);
    if (!customer) items.push({ code: 'customer', message: `Customer for ID "${input.customer}" was not found` });
    const application = await findApplication(trx, orgId, input.application);
    if (!application) items.push({ code: 'application', message: `Application for ID "${input.application}" was not found` });
    if (input.department !== undefined && !(await findDepartment(trx, orgId, input.department))) {
      items.push({ code: 'department', message: `Department for ID "${input.department}" was not found` });
    }
    const check = input.assignee === undefined ? null : await assignable(trx, orgId, input.assignee);
    if (check && !check.ok) items.push({ code: 'assignee', message: check.reason });
    if (items.length > 0) throw new Invalid(items);

    const now = clock.now();
    const chatId = await insertChat(trx, {
      organization_id: orgId,
      customer_id: input.customer,
      application_id: input.application,
      department_id: input.department ?? null,
      status: 'empty',
      created_with: 'public_api',
      read_by_agent: 0,
      read_by_customer: 0,
      created_at: now,
      updated_at: now,
    });
    await appendEvent(trx, { orgId, event: 'chat.new', chatId, eventData: chatEventData(await readChat(trx, orgId, chatId)), createdAt: now });
    if (input.assignee === undefined) {
      // Created without an assignee: it waits for routing (when its policy routes).
      await chatWaiting(trx, now, { orgId, chatId, departmentId: input.department ?? null, status: 'empty' });
      return readChat(trx, orgId, chatId);
    }
    const { chat } = await assignChat(trx, clock, { orgId, chatId, assigneeId: input.assignee, by: caller.actor, source: 'api' });
    return chat;
  });
}
