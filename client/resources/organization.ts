// The key's organization (API.md §4.1) and its [ext] routing policy, queue and inbox settings.
import type { Http } from '../http.ts';
import { pages, type Page } from '../paging.ts';
import type { Data, List, Organization as OrganizationModel, OrganizationSettings, QueueLine, RoutingPolicy, RoutingPolicyPatch, SettingsPatch } from '../types.ts';

export class Organization {
  constructor(private readonly http: Http) {}

  /** GET /v1/organization */
  get(): Promise<Data<OrganizationModel>> {
    return this.http.request('GET', '/v1/organization');
  }

  /** [ext] GET /v1/organization/routing */
  routing(): Promise<RoutingPolicy> {
    return this.http.request('GET', '/v1/organization/routing');
  }

  /** [ext] PUT /v1/organization/routing: omitted keys keep their value */
  setRouting(body: RoutingPolicyPatch): Promise<RoutingPolicy> {
    return this.http.request('PUT', '/v1/organization/routing', { body });
  }

  /** [ext] GET /v1/organization/queue: `limit` bounds the chats listed per department; `meta.total` counts departments */
  queue(page: Page = {}): Promise<List<QueueLine>> {
    return this.http.request('GET', '/v1/organization/queue', { query: { ...page } });
  }

  /** [ext] every department's line of the queue */
  queueAll(page: Page = {}): AsyncGenerator<QueueLine, void, undefined> {
    return pages((p) => this.queue(p), page);
  }

  /** [ext] GET /v1/organization/settings */
  settings(): Promise<Data<OrganizationSettings>> {
    return this.http.request('GET', '/v1/organization/settings');
  }

  /** [ext] PUT /v1/organization/settings */
  updateSettings(body: SettingsPatch): Promise<Data<OrganizationSettings>> {
    return this.http.request('PUT', '/v1/organization/settings', { body });
  }
}
