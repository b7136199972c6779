import type { FastifyInstance } from 'fastify';
import type { Deps } from '../app-deps.ts';
import { parsePage } from '../input/pagination.ts';
import { pathId } from '../input/params.ts';
import { presentList } from '../presenters/list.ts';
import { chatHistory } from './history.service.ts';

/** [ext] GET /v1/chats/{id}/assignments — the assignment history, oldest first (API.md §4.6). */
export function historyRoutes(app: FastifyInstance, { database }: Deps): void {
  app.get<{ Params: { id: string }; Querystring: Record<string, string> }>('/v1/chats/:id/assignments', async (req) => {
    const chatId = pathId(req.params.id, 'Chat');
    return presentList('list', await chatHistory(database.db, req.auth.orgId, chatId, parsePage(req.query)));
  });
}
