import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../app-deps.ts';
import { presentList } from '../../presenters/list.ts';
import { parseChatList, parseChatSearch } from './chat-search.schema.ts';
import { findChats } from './chat-search.service.ts';

/** GET /v1/chats and POST /v1/chats/search (API.md §4.1) */
export function chatSearchRoutes(app: FastifyInstance, { database, config }: Deps): void {
  const options = { cacheTotals: config.searchTotalsCache };
  app.get<{ Querystring: Record<string, unknown> }>('/v1/chats', async (req) => {
    const { filter, sort, page } = parseChatList(req.query);
    return presentList('list', await findChats(database.db, req.auth.orgId, filter, sort, page, options));
  });

  app.post('/v1/chats/search', async (req) => {
    const { filter, sort, page } = parseChatSearch(req.body);
    return presentList('search', await findChats(database.db, req.auth.orgId, filter, sort, page, options));
  });
}
