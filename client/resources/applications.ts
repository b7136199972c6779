// Applications (API.md §4.1).
import type { Http } from '../http.ts';
import { pages, type Page } from '../paging.ts';
import type { Application, List } from '../types.ts';

export class Applications {
  constructor(private readonly http: Http) {}

  /** GET /v1/applications: one page */
  list(page: Page = {}): Promise<List<Application>> {
    return this.http.request('GET', '/v1/applications', { query: { ...page } });
  }

  /** every application */
  listAll(page: Page = {}): AsyncGenerator<Application, void, undefined> {
    return pages((p) => this.list(p), page);
  }
}
