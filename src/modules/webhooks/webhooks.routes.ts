import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../app-deps.ts';
import { parsePage } from '../../input/pagination.ts';
import { pathId } from '../../input/params.ts';
import { presentList } from '../../presenters/list.ts';
import { OK_JSON } from '../customers/customers.presenter.ts';
import { createGuard } from './guard.ts';
import { createWebhookBody } from './webhooks.schema.ts';
import { createWebhook, deleteWebhook, getWebhook, listDeliveries, listWebhooks } from './webhooks.service.ts';

type ById = { Params: { id: string }; Querystring: Record<string, string> };
const webhookId = (req: { params: { id: string } }) => pathId(req.params.id, 'Webhook');

/** [ext] /v1/webhooks (API.md §4.6, §4.8) */
export function webhookRoutes(app: FastifyInstance, { database, clock, config }: Deps): void {
  const guard = createGuard({ allowPrivate: config.webhookAllowPrivate });

  app.get<{ Querystring: Record<string, string> }>('/v1/webhooks', async (req) => {
    return presentList('list', await listWebhooks(database.db, req.auth.orgId, parsePage(req.query)));
  });

  app.post('/v1/webhooks', async (req, reply) => {
    const webhook = await createWebhook(database, clock, guard, req.auth.orgId, createWebhookBody.parse(req.body));
    return reply.code(201).send(webhook);
  });

  app.get<ById>('/v1/webhooks/:id', async (req) => getWebhook(database.db, req.auth.orgId, webhookId(req)));

  // "Ok", as DELETE /v1/customers/{id} answers (API.md §4.4)
  app.delete<ById>('/v1/webhooks/:id', async (req, reply) => {
    await deleteWebhook(database, req.auth.orgId, webhookId(req));
    return reply.type('application/json; charset=utf-8').send(OK_JSON);
  });

  app.get<ById>('/v1/webhooks/:id/deliveries', async (req) => {
    const page = parsePage(req.query);
    return presentList('list', await listDeliveries(database.db, req.auth.orgId, webhookId(req), page));
  });
}
