import { timestampOut } from '../lib/timestamps.ts';
import type { AssignmentView } from './history.repository.ts';

const ref = (id: number | null, name: string | null, email: string | null, role: string | null) =>
  id === null ? null : { id, name, email, role };

/** History row, API.md §5: `{id, chat, from, to, assignedBy, source, reason, createdAt}` (+ `trace` when routed, §4.7) */
export function presentAssignment(h: AssignmentView) {
  const row = {
    id: h.id,
    chat: h.chat_id,
    from: ref(h.from_agent_id, h.from_name, h.from_email, h.from_role),
    to: ref(h.to_agent_id, h.to_name, h.to_email, h.to_role),
    assignedBy: { type: h.assigned_by_type, id: h.assigned_by_id, name: h.assigned_by_name },
    source: h.source,
    reason: h.reason,
    createdAt: timestampOut(h.created_at),
  };
  return h.trace === null ? row : { ...row, trace: JSON.parse(h.trace) as unknown };
}
