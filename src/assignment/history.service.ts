import type { Executor } from '../db/database.ts';
import { NotFound } from '../errors.ts';
import type { Page } from '../input/pagination.ts';
import { chatExists } from '../modules/chats/chats.repository.ts';
import { presentAssignment } from './history.presenter.ts';
import { agentRefsById, countAssignments, listAssignments } from './history.repository.ts';
import { agentIdsOf, isPackedTrace } from './routing/trace-storage.ts';

export async function chatHistory(db: Executor, orgId: number, chatId: number, page: Page) {
  if (!(await chatExists(db, orgId, chatId))) throw new NotFound('Chat', chatId);
  const [rows, total] = await Promise.all([listAssignments(db, orgId, chatId, page), countAssignments(db, orgId, chatId)]);
  // Routing traces are stored with agent ids only (routing/trace-storage.ts): their agents are read once per page.
  const traces = rows.map((r) => (r.trace === null ? null : (JSON.parse(r.trace) as unknown)));
  const ids = new Set(traces.flatMap((t) => (isPackedTrace(t) ? agentIdsOf(t) : [])));
  const refs = ids.size === 0 ? new Map() : await agentRefsById(db, orgId, [...ids]);
  return { data: rows.map((r, i) => presentAssignment(r, traces[i], refs)), total };
}
