// Agents (API.md §4.1, §4.4) and their [ext] presence and routing capacity.
import type { Http } from '../http.ts';
import { pages, type Page } from '../paging.ts';
import type { Agent, AgentUpdateRequest, List, Ok, PresenceRequest } from '../types.ts';

export class Agents {
  constructor(private readonly http: Http) {}

  /** GET /v1/agents: one page, deactivated agents included */
  list(page: Page = {}): Promise<List<Agent>> {
    return this.http.request('GET', '/v1/agents', { query: { ...page } });
  }

  /** every agent */
  listAll(page: Page = {}): AsyncGenerator<Agent, void, undefined> {
    return pages((p) => this.list(p), page);
  }

  /** GET /v1/agents/{id}/unsubscribe */
  unsubscribe(id: number): Promise<Ok> {
    return this.http.request('GET', `/v1/agents/${id}/unsubscribe`);
  }

  /** [ext] PUT /v1/agents/{id}/status: presence */
  setStatus(id: number, body: PresenceRequest): Promise<Agent> {
    return this.http.request('PUT', `/v1/agents/${id}/status`, { body });
  }

  /** [ext] PUT /v1/agents/{id}: the agent's own routing capacity (null: the policy's) */
  update(id: number, body: AgentUpdateRequest): Promise<Agent> {
    return this.http.request('PUT', `/v1/agents/${id}`, { body });
  }
}
