// Chats (API.md §4.1–§4.4) and their [ext] assignment history and routing.
import type { Http } from '../http.ts';
import { pages, type Page } from '../paging.ts';
import type {
  AssignRequest, Assignment, Chat, CreateChatRequest, List, ListQuery, RateRequest, ReadRequest, Routed, RouteRequest,
  SearchRequest, SearchResult, SetDepartmentRequest, SetStatusRequest, SnoozeRequest,
} from '../types.ts';

export class Chats {
  constructor(private readonly http: Http) {}

  /** GET /v1/chats: one page */
  list(query: ListQuery = {}): Promise<List<Chat>> {
    return this.http.request('GET', '/v1/chats', { query: { ...query } });
  }

  /** every chat, paging GET /v1/chats */
  listAll(query: ListQuery = {}): AsyncGenerator<Chat, void, undefined> {
    return pages((page) => this.list({ ...query, ...page }), query);
  }

  /** GET /v1/chats/{id} */
  get(id: number): Promise<Chat> {
    return this.http.request('GET', `/v1/chats/${id}`);
  }

  /** POST /v1/chats/search: one page */
  search(body: SearchRequest = {}): Promise<SearchResult<Chat>> {
    return this.http.request('POST', '/v1/chats/search', { body });
  }

  /** every matching chat, paging POST /v1/chats/search */
  searchAll(body: SearchRequest = {}): AsyncGenerator<Chat, void, undefined> {
    return pages((page) => this.search({ ...body, ...page }), body);
  }

  /** POST /v1/chats (201) */
  create(body: CreateChatRequest): Promise<Chat> {
    return this.http.request('POST', '/v1/chats', { body });
  }

  /** PUT /v1/chats/assignee; `assignee: null` unassigns; [ext] `expectedAssignee` makes it a compare-and-set (409) */
  assign(body: AssignRequest): Promise<Chat> {
    return this.http.request('PUT', '/v1/chats/assignee', { body });
  }

  /** PUT /v1/chats/status */
  setStatus(body: SetStatusRequest): Promise<Chat> {
    return this.http.request('PUT', '/v1/chats/status', { body });
  }

  /** PUT /v1/chats/department; `department: null` takes the chat out of its department */
  setDepartment(body: SetDepartmentRequest): Promise<Chat> {
    return this.http.request('PUT', '/v1/chats/department', { body });
  }

  /** PUT /v1/chats/snooze; `snoozedUntil: null` unsnoozes */
  snooze(body: SnoozeRequest): Promise<Chat> {
    return this.http.request('PUT', '/v1/chats/snooze', { body });
  }

  /** PUT /v1/chats/rate */
  rate(body: RateRequest): Promise<Chat> {
    return this.http.request('PUT', '/v1/chats/rate', { body });
  }

  /** PUT /v1/chats/readByAgent */
  markReadByAgent(body: ReadRequest): Promise<Chat> {
    return this.http.request('PUT', '/v1/chats/readByAgent', { body });
  }

  /** PUT /v1/chats/readByCustomer */
  markReadByCustomer(body: ReadRequest): Promise<Chat> {
    return this.http.request('PUT', '/v1/chats/readByCustomer', { body });
  }

  /** PUT /v1/chats/read: both sides */
  markRead(body: ReadRequest): Promise<Chat> {
    return this.http.request('PUT', '/v1/chats/read', { body });
  }

  /** [ext] GET /v1/chats/{id}/assignments: one page, oldest first */
  assignments(id: number, page: Page = {}): Promise<List<Assignment>> {
    return this.http.request('GET', `/v1/chats/${id}/assignments`, { query: { ...page } });
  }

  /** [ext] the whole assignment history */
  assignmentsAll(id: number, page: Page = {}): AsyncGenerator<Assignment, void, undefined> {
    return pages((p) => this.assignments(id, p), page);
  }

  /** [ext] POST /v1/chats/{id}/route: run the routing policy now (`dryRun`: decide only) */
  route(id: number, body: RouteRequest = {}): Promise<Routed> {
    return this.http.request('POST', `/v1/chats/${id}/route`, { body });
  }
}
