import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../app-deps.ts';
import { parsePage } from '../../input/pagination.ts';
import { listApplications } from './applications.service.ts';

export function applicationRoutes(app: FastifyInstance, { database }: Deps): void {
  app.get<{ Querystring: Record<string, string> }>('/v1/applications', async (req) => {
    const { data, total } = await listApplications(database.db, req.auth.orgId, parsePage(req.query));
    return { data, meta: { total } };
  });
}
