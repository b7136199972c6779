import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../app-deps.ts';
import { presentData } from '../../presenters/list.ts';
import { settingsBody } from './organizations.schema.ts';
import { getOrganization, getOrganizationSettings, updateOrganizationSettings } from './organizations.service.ts';

/** GET /v1/organization: the key's own organization (API.md §4.1); [ext] its inbox settings (docs/inbox.md) */
export function organizationRoutes(app: FastifyInstance, { database }: Deps): void {
  app.get('/v1/organization', async (req) => presentData(await getOrganization(database.db, req.auth.orgId)));

  app.get('/v1/organization/settings', async (req) => presentData(await getOrganizationSettings(database.db, req.auth.orgId)));
  app.put('/v1/organization/settings', async (req) =>
    presentData(await updateOrganizationSettings(database, req.auth, settingsBody.parse(req.body))),
  );
}
