import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../app-deps.ts';
import { createCustomerBody } from './customers.schema.ts';
import { createCustomer } from './customers.service.ts';

export function customerRoutes(app: FastifyInstance, { database, clock }: Deps): void {
  app.post('/v1/customers', async (req, reply) => {
    const customer = await createCustomer(database, clock, req.auth.orgId, createCustomerBody.parse(req.body));
    return reply.code(201).send(customer);
  });
}
