// [ext] Webhook subscriptions and their delivery log (API.md §4.8).
import type { Http } from '../http.ts';
import { pages, type Page } from '../paging.ts';
import type { CreateWebhookRequest, List, Ok, Webhook, WebhookDelivery } from '../types.ts';

export class Webhooks {
  constructor(private readonly http: Http) {}

  /** GET /v1/webhooks: one page */
  list(page: Page = {}): Promise<List<Webhook>> {
    return this.http.request('GET', '/v1/webhooks', { query: { ...page } });
  }

  /** every subscription */
  listAll(page: Page = {}): AsyncGenerator<Webhook, void, undefined> {
    return pages((p) => this.list(p), page);
  }

  /** POST /v1/webhooks (201) */
  create(body: CreateWebhookRequest): Promise<Webhook> {
    return this.http.request('POST', '/v1/webhooks', { body });
  }

  /** GET /v1/webhooks/{id} */
  get(id: number): Promise<Webhook> {
    return this.http.request('GET', `/v1/webhooks/${id}`);
  }

  /** DELETE /v1/webhooks/{id} */
  delete(id: number): Promise<Ok> {
    return this.http.request('DELETE', `/v1/webhooks/${id}`);
  }

  /** GET /v1/webhooks/{id}/deliveries: one page, newest first */
  deliveries(id: number, page: Page = {}): Promise<List<WebhookDelivery>> {
    return this.http.request('GET', `/v1/webhooks/${id}/deliveries`, { query: { ...page } });
  }

  /** a subscription's whole delivery log */
  deliveriesAll(id: number, page: Page = {}): AsyncGenerator<WebhookDelivery, void, undefined> {
    return pages((p) => this.deliveries(id, p), page);
  }
}
