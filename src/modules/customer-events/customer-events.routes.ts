import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../app-deps.ts';
import { parsePage } from '../../input/pagination.ts';
import { pathId } from '../../input/params.ts';
import { presentList } from '../../presenters/list.ts';
import { customerEventBody } from './customer-events.schema.ts';
import { customerEvents, recordCustomerEvent } from './customer-events.service.ts';

/** POST /v1/events and [ext] GET /v1/customers/{id}/events (API.md §4.4, §5) */
export function customerEventRoutes(app: FastifyInstance, { database, clock }: Deps): void {
  // 200, not 201: API.md §4.4 fixes this create's status.
  app.post('/v1/events', async (req) => recordCustomerEvent(database, clock, req.auth.orgId, customerEventBody.parse(req.body)));

  app.get<{ Params: { id: string }; Querystring: Record<string, string> }>('/v1/customers/:id/events', async (req) => {
    const page = parsePage(req.query);
    return presentList('bare list', await customerEvents(database.db, req.auth.orgId, pathId(req.params.id, 'Customer'), page));
  });
}
