// [ext] Routing over HTTP (API.md §4.6, §4.7): route one chat now, and the queue.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../app-deps.ts';
import { parsePage } from '../../input/pagination.ts';
import { pathId } from '../../input/params.ts';
import { presentList } from '../../presenters/list.ts';
import { routeBody } from './routing.schema.ts';
import { organizationQueue, routeChat } from './routing.service.ts';

export function routingRoutes(app: FastifyInstance, { database, clock }: Deps): void {
  app.post<{ Params: { id: string } }>('/v1/chats/:id/route', async (req) => {
    const chatId = pathId(req.params.id, 'Chat');
    const { dryRun } = routeBody.parse(req.body);
    return routeChat(database, clock, req.auth.orgId, chatId, dryRun ?? false);
  });

  // `limit` bounds the chats listed per department; `waiting` always counts them all.
  app.get('/v1/organization/queue', async (req) => {
    return presentList('list', await organizationQueue(database.db, req.auth.orgId, parsePage(req.query as object).limit));
  });
}
