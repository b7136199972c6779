// Customers (API.md §4.1, §4.4), their tags and activity events.
import type { Http } from '../http.ts';
import { pages, type Page } from '../paging.ts';
import type {
  BareList, BatchUpdateItem, CreateCustomerRequest, Customer, CustomerEvent, CustomerEventRequest, Data, ListQuery, Ok,
  SearchRequest, SearchResult, TagsRequest, UpdateCustomerRequest,
} from '../types.ts';

export class Customers {
  constructor(private readonly http: Http) {}

  /** GET /v1/customers: one page */
  list(query: ListQuery = {}): Promise<BareList<Customer>> {
    return this.http.request('GET', '/v1/customers', { query: { ...query } });
  }

  /** every customer, paging GET /v1/customers */
  listAll(query: ListQuery = {}): AsyncGenerator<Customer, void, undefined> {
    return pages((page) => this.list({ ...query, ...page }), query);
  }

  /** GET /v1/customers/{id} */
  get(id: number): Promise<Customer> {
    return this.http.request('GET', `/v1/customers/${id}`);
  }

  /** POST /v1/customers/search: one page */
  search(body: SearchRequest = {}): Promise<SearchResult<Customer>> {
    return this.http.request('POST', '/v1/customers/search', { body });
  }

  /** every matching customer, paging POST /v1/customers/search */
  searchAll(body: SearchRequest = {}): AsyncGenerator<Customer, void, undefined> {
    return pages((page) => this.search({ ...body, ...page }), body);
  }

  /** POST /v1/customers (201) */
  create(body: CreateCustomerRequest): Promise<Customer> {
    return this.http.request('POST', '/v1/customers', { body });
  }

  /** PUT /v1/customers/{id}: present keys set, omitted kept, null clears */
  update(id: number, body: UpdateCustomerRequest): Promise<Customer> {
    return this.http.request('PUT', `/v1/customers/${id}`, { body });
  }

  /** PATCH /v1/customers/{id} */
  patch(id: number, body: UpdateCustomerRequest): Promise<Customer> {
    return this.http.request('PATCH', `/v1/customers/${id}`, { body });
  }

  /** PUT /v1/customers/batch: up to 10 updates; the customers in request order */
  updateBatch(items: BatchUpdateItem[]): Promise<Data<Customer[]>> {
    return this.http.request('PUT', '/v1/customers/batch', { body: items });
  }

  /** DELETE /v1/customers/{id}, with their chats and messages */
  delete(id: number): Promise<Ok> {
    return this.http.request('DELETE', `/v1/customers/${id}`);
  }

  /** PUT /v1/customers/{id}/tags: add tags */
  addTags(id: number, body: TagsRequest): Promise<Customer> {
    return this.http.request('PUT', `/v1/customers/${id}/tags`, { body });
  }

  /** DELETE /v1/customers/{id}/tags: remove tags, by name */
  removeTags(id: number, body: TagsRequest): Promise<Customer> {
    return this.http.request('DELETE', `/v1/customers/${id}/tags`, { body });
  }

  /** POST /v1/events: record a customer's activity event */
  recordEvent(body: CustomerEventRequest): Promise<CustomerEvent> {
    return this.http.request('POST', '/v1/events', { body });
  }

  /** [ext] GET /v1/customers/{id}/events: one page, newest first */
  events(id: number, page: Page = {}): Promise<BareList<CustomerEvent>> {
    return this.http.request('GET', `/v1/customers/${id}/events`, { query: { ...page } });
  }

  /** [ext] every activity event of a customer */
  eventsAll(id: number, page: Page = {}): AsyncGenerator<CustomerEvent, void, undefined> {
    return pages((p) => this.events(id, p), page);
  }
}
