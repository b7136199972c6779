import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../app-deps.ts';
import { parsePage } from '../../input/pagination.ts';
import { pathId } from '../../input/params.ts';
import { presentList } from '../../presenters/list.ts';
import { OK_JSON } from '../customers/customers.presenter.ts';
import { requirePresenceAllowed } from './agents.policy.ts';
import { agentUpdateBody, presenceBody } from './agents.schema.ts';
import { listAgents, setPresence, unsubscribeAgent, updateAgent } from './agents.service.ts';

type ById = { Params: { id: string } };
const agentId = (req: { params: { id: string } }) => pathId(req.params.id, 'Agent');

/**
 * GET /v1/agents (API.md §4.1), GET /v1/agents/{id}/unsubscribe (§4.4), and [ext]
 * PUT /v1/agents/{id}/status (presence, §4.6, §4.7) and PUT /v1/agents/{id} (capacity).
 */
export function agentRoutes(app: FastifyInstance, { database, clock }: Deps): void {
  app.get<{ Querystring: Record<string, string> }>('/v1/agents', async (req) => {
    return presentList('list', await listAgents(database.db, req.auth.orgId, parsePage(req.query)));
  });

  app.get<ById>('/v1/agents/:id/unsubscribe', async (req, reply) => {
    await unsubscribeAgent(database, req.auth.orgId, agentId(req));
    return reply.type('application/json; charset=utf-8').send(OK_JSON);
  });

  app.put<ById>('/v1/agents/:id/status', async (req) => {
    const { status } = presenceBody.parse(req.body); // API.md §5: field shapes before the 404
    const id = agentId(req);
    requirePresenceAllowed(req.auth.session, id);
    return setPresence(database, clock, req.auth.orgId, id, status!);
  });

  app.put<ById>('/v1/agents/:id', async (req) => {
    const input = agentUpdateBody.parse(req.body);
    return updateAgent(database, clock, req.auth.orgId, agentId(req), input);
  });
}
