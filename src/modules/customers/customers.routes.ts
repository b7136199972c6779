import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../app-deps.ts';
import { pathId } from '../../input/params.ts';
import { presentData, presentList } from '../../presenters/list.ts';
import { addTags, deleteCustomer, removeTags, updateCustomer, updateCustomers } from './customer-changes.service.ts';
import { parseCustomerList, parseCustomerSearch } from './customer-search.schema.ts';
import { OK_JSON } from './customers.presenter.ts';
import { createCustomerBody, parseBatch, tagsBody, updateCustomerBody } from './customers.schema.ts';
import { createCustomer, findCustomers, getCustomer } from './customers.service.ts';

type ById = { Params: { id: string } };
const customerId = (req: { params: { id: string } }) => pathId(req.params.id, 'Customer');

/** The customer routes of API.md §4.1 and §4.4. */
export function customerRoutes(app: FastifyInstance, { database, clock }: Deps): void {
  app.get<{ Querystring: Record<string, unknown> }>('/v1/customers', async (req) => {
    const { filter, sort, page } = parseCustomerList(req.query);
    return presentList('bare list', await findCustomers(database.db, req.auth.orgId, filter, sort, page));
  });

  app.post('/v1/customers/search', async (req) => {
    const { filter, sort, page } = parseCustomerSearch(req.body);
    return presentList('search', await findCustomers(database.db, req.auth.orgId, filter, sort, page));
  });

  app.post('/v1/customers', async (req, reply) => {
    const customer = await createCustomer(database, clock, req.auth.orgId, createCustomerBody.parse(req.body));
    return reply.code(201).send(customer);
  });

  // Static before parametric: find-my-way prefers /batch to /:id whatever the order.
  app.put('/v1/customers/batch', async (req) => presentData(await updateCustomers(database, clock, req.auth.orgId, parseBatch(req.body))));

  app.get<ById>('/v1/customers/:id', async (req) => getCustomer(database.db, req.auth.orgId, customerId(req)));

  // PUT and PATCH are the same partial update (API.md §4.4).
  for (const method of ['PUT', 'PATCH'] as const) {
    app.route<ById>({
      method,
      url: '/v1/customers/:id',
      handler: async (req) => {
        const input = updateCustomerBody.parse(req.body); // API.md §5: field shapes before the 404
        return updateCustomer(database, clock, req.auth.orgId, customerId(req), input);
      },
    });
  }

  app.delete<ById>('/v1/customers/:id', async (req, reply) => {
    await deleteCustomer(database, clock, req.auth.orgId, customerId(req));
    return reply.type('application/json; charset=utf-8').send(OK_JSON);
  });

  app.put<ById>('/v1/customers/:id/tags', async (req) => {
    const { tags } = tagsBody.parse(req.body);
    return addTags(database, clock, req.auth.orgId, customerId(req), tags!);
  });

  app.delete<ById>('/v1/customers/:id/tags', async (req) => {
    const { tags } = tagsBody.parse(req.body);
    return removeTags(database, clock, req.auth.orgId, customerId(req), tags!);
  });
}
