import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../app-deps.ts';
import { parsePage } from '../../input/pagination.ts';
import { presentList } from '../../presenters/list.ts';
import { listDepartments } from './departments.service.ts';

export function departmentRoutes(app: FastifyInstance, { database }: Deps): void {
  app.get<{ Querystring: Record<string, string> }>('/v1/departments', async (req) => {
    return presentList('list', await listDepartments(database.db, req.auth.orgId, parsePage(req.query)));
  });
}
