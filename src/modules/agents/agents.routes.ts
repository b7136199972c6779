import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../app-deps.ts';
import { parsePage } from '../../http/pagination.ts';
import { listAgents } from './agents.service.ts';

export function agentRoutes(app: FastifyInstance, { database }: Deps): void {
  app.get<{ Querystring: Record<string, string> }>('/v1/agents', async (req) => {
    const { data, total } = await listAgents(database.db, req.auth.orgId, parsePage(req.query));
    return { data, meta: { total } };
  });
}
