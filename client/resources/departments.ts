// Departments (API.md §4.1) and their [ext] routing policy.
import type { Http } from '../http.ts';
import { pages, type Page } from '../paging.ts';
import type { Department, List, RoutingPolicy, RoutingPolicyPatch } from '../types.ts';

export class Departments {
  constructor(private readonly http: Http) {}

  /** GET /v1/departments: one page */
  list(page: Page = {}): Promise<List<Department>> {
    return this.http.request('GET', '/v1/departments', { query: { ...page } });
  }

  /** every department */
  listAll(page: Page = {}): AsyncGenerator<Department, void, undefined> {
    return pages((p) => this.list(p), page);
  }

  /** [ext] GET /v1/departments/{id}/routing */
  routing(id: number): Promise<RoutingPolicy> {
    return this.http.request('GET', `/v1/departments/${id}/routing`);
  }

  /** [ext] PUT /v1/departments/{id}/routing: omitted keys keep their value */
  setRouting(id: number, body: RoutingPolicyPatch): Promise<RoutingPolicy> {
    return this.http.request('PUT', `/v1/departments/${id}/routing`, { body });
  }
}
