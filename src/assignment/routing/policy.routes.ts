// [ext] Routing policies over HTTP (API.md §4.7): the organization's default and a department's own.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../app-deps.ts';
import { pathId } from '../../input/params.ts';
import { presentPolicy } from './policy.presenter.ts';
import { policyBody } from './policy.schema.ts';
import { readPolicy, updatePolicy } from './policy.service.ts';

type ById = { Params: { id: string } };
const departmentId = (req: { params: { id: string } }) => pathId(req.params.id, 'Department');

export function policyRoutes(app: FastifyInstance, { database, clock }: Deps): void {
  app.get('/v1/organization/routing', async (req) => presentPolicy((await readPolicy(database.db, req.auth.orgId, null)).policy));

  app.put('/v1/organization/routing', async (req) => {
    const patch = policyBody.parse(req.body);
    return presentPolicy((await updatePolicy(database, clock, req.auth.orgId, null, patch)).policy);
  });

  app.get<ById>('/v1/departments/:id/routing', async (req) => {
    return presentPolicy((await readPolicy(database.db, req.auth.orgId, departmentId(req))).policy);
  });

  app.put<ById>('/v1/departments/:id/routing', async (req) => {
    const patch = policyBody.parse(req.body); // API.md §5: field shapes before the 404
    return presentPolicy((await updatePolicy(database, clock, req.auth.orgId, departmentId(req), patch)).policy);
  });
}
