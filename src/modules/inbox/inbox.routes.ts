import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../app-deps.ts';
import { presentList } from '../../presenters/list.ts';
import { parseInboxChatsQuery } from './inbox.schema.ts';
import { inboxAgents, inboxChats } from './inbox.service.ts';

/** [ext] GET /v1/inbox/agents and GET /v1/inbox/chats: the inbox's own reads (docs/inbox.md) */
export function inboxRoutes(app: FastifyInstance, { database, config }: Deps): void {
  const options = { cacheTotals: config.searchTotalsCache };

  app.get('/v1/inbox/agents', async (req) => presentList('list', await inboxAgents(database.db, req.auth.orgId)));

  app.get<{ Querystring: Record<string, unknown> }>('/v1/inbox/chats', async (req) => {
    const session = req.auth.session;
    const query = parseInboxChatsQuery(req.query, session !== null);
    return presentList('list', await inboxChats(database.db, req.auth.orgId, session?.agentId ?? null, query, options));
  });
}
