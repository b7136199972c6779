import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../app-deps.ts';
import { presentData } from '../../presenters/list.ts';
import { getOrganization } from './organizations.service.ts';

/** GET /v1/organization: the key's own organization (API.md §4.1) */
export function organizationRoutes(app: FastifyInstance, { database }: Deps): void {
  app.get('/v1/organization', async (req) => presentData(await getOrganization(database.db, req.auth.orgId)));
}
