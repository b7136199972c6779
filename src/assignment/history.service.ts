import type { Executor } from '../db/database.ts';
import { NotFound } from '../errors.ts';
import type { Page } from '../input/pagination.ts';
import { chatExists } from '../modules/chats/chats.repository.ts';
import { presentAssignment } from './history.presenter.ts';
import { countAssignments, listAssignments } from './history.repository.ts';

export async function chatHistory(db: Executor, orgId: number, chatId: number, page: Page) {
  if (!(await chatExists(db, orgId, chatId))) throw new NotFound('Chat', chatId);
  const [rows, total] = await Promise.all([listAssignments(db, orgId, chatId, page), countAssignments(db, orgId, chatId)]);
  return { data: rows.map(presentAssignment), total };
}
