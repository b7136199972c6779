// Presenters are the only code that shapes public JSON (DESIGN rule 3): the assignment history
// row and the `chat.assigned` event, which say alike who assigned and through which door.
import { timestampOut } from '../lib/timestamps.ts';
import { agentRefOrNull, type AgentRef } from '../modules/agents/agents.presenter.ts';
import { presentAssignee, type Chat } from '../modules/chats/chats.presenter.ts';
import type { ChatView } from '../modules/chats/chats.repository.ts';
import type { AssignedBy, AssignmentSource } from './actor.ts';
import type { AssignmentView } from './history.repository.ts';
import { isPackedTrace, unpackTrace } from './routing/trace-storage.ts';

/** `assignedBy` `{type, id, name}` (API.md §4.5 [ext], §5) */
const presentAssignedBy = (type: AssignedBy['type'], id: number | null, name: string): AssignedBy => ({ type, id, name });

/** History row, API.md §5: `{id, chat, from, to, assignedBy, source, reason, createdAt}` (+ `trace` when routed, §4.7) */
export function presentAssignment(h: AssignmentView, trace: unknown, refs: ReadonlyMap<number, AgentRef>) {
  const row = {
    id: h.id,
    chat: h.chat_id,
    from: agentRefOrNull(h.from_agent_id, h.from_name, h.from_email, h.from_role),
    to: agentRefOrNull(h.to_agent_id, h.to_name, h.to_email, h.to_role),
    assignedBy: presentAssignedBy(h.assigned_by_type, h.assigned_by_id, h.assigned_by_name),
    source: h.source,
    reason: h.reason,
    createdAt: timestampOut(h.created_at),
  };
  return trace === null ? row : { ...row, trace: isPackedTrace(trace) ? unpackTrace(trace, refs) : trace };
}

/**
 * `eventData` of `chat.assigned` (API.md §4.5): the chat as it is after the assignment and its
 * `assignee`, plus [ext] `previousAssignee` (from the chat as it was), `assignedBy` and `source`.
 */
export function chatAssignedEventData(chat: Chat, before: Pick<ChatView, 'assignee_id' | 'assignee_name' | 'assignee_email' | 'assignee_role'>, by: AssignedBy, source: AssignmentSource) {
  return {
    chat,
    assignee: chat.assignee,
    previousAssignee: presentAssignee(before),
    assignedBy: presentAssignedBy(by.type, by.id, by.name),
    source,
  };
}

/**
 * `JSON.stringify(data)` of chatAssignedEventData, with the chat's JSON text as already written
 * for the answer (issue 17: the chat serialised once for both). `chat` is eventData's first key,
 * so the text is the chat's followed by the other keys' own serialisation.
 */
export function chatAssignedEventJson(chatJson: string, data: ReturnType<typeof chatAssignedEventData>): string {
  const { chat: _, ...rest } = data;
  return `{"chat":${chatJson},${JSON.stringify(rest).slice(1)}`;
}
