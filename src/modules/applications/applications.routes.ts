import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../app-deps.ts';
import { parsePage } from '../../input/pagination.ts';
import { presentList } from '../../presenters/list.ts';
import { listApplications } from './applications.service.ts';

export function applicationRoutes(app: FastifyInstance, { database }: Deps): void {
  app.get<{ Querystring: Record<string, string> }>('/v1/applications', async (req) => {
    return presentList('list', await listApplications(database.db, req.auth.orgId, parsePage(req.query)));
  });
}
