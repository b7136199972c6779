import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../app-deps.ts';
import { parsePage } from '../../input/pagination.ts';
import { pathId } from '../../input/params.ts';
import { presentList } from '../../presenters/list.ts';
import { OK_JSON } from '../customers/customers.presenter.ts';
import { listAgents, unsubscribeAgent } from './agents.service.ts';

/** GET /v1/agents (API.md §4.1) and GET /v1/agents/{id}/unsubscribe (§4.4) */
export function agentRoutes(app: FastifyInstance, { database }: Deps): void {
  app.get<{ Querystring: Record<string, string> }>('/v1/agents', async (req) => {
    return presentList('list', await listAgents(database.db, req.auth.orgId, parsePage(req.query)));
  });

  app.get<{ Params: { id: string } }>('/v1/agents/:id/unsubscribe', async (req, reply) => {
    await unsubscribeAgent(database, req.auth.orgId, pathId(req.params.id, 'Agent'));
    return reply.type('application/json; charset=utf-8').send(OK_JSON);
  });
}
