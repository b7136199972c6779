// A typed client of the Handoff API — the HelpCrunch REST API v1 and Handoff's extensions:
//
//   import { HandoffClient } from 'handoff/client';
//   const handoff = new HandoffClient({ apiKey: process.env.HANDOFF_KEY!, baseUrl: 'http://127.0.0.1:8080' });
//   for await (const chat of handoff.chats.searchAll({ filter: [{ field: 'chats.status', operator: '=', value: 'new' }] })) …
//
// One method per operation of GET /openapi.json (the inbox's own sign-in and session routes
// excepted: they belong to the inbox page's cookie). Types come from the server's schemas
// (types.ts); errors are HandoffApiError; a 429 is retried after its Retry-After.
import { Http, type ClientOptions } from './http.ts';
import { Agents } from './resources/agents.ts';
import { Applications } from './resources/applications.ts';
import { Chats } from './resources/chats.ts';
import { Customers } from './resources/customers.ts';
import { Departments } from './resources/departments.ts';
import { Events } from './resources/events.ts';
import { Inbox } from './resources/inbox.ts';
import { Messages } from './resources/messages.ts';
import { Organization } from './resources/organization.ts';
import { Service } from './resources/service.ts';
import { Webhooks } from './resources/webhooks.ts';

export class HandoffClient {
  readonly chats: Chats;
  readonly messages: Messages;
  readonly customers: Customers;
  readonly agents: Agents;
  readonly departments: Departments;
  readonly applications: Applications;
  readonly organization: Organization;
  readonly webhooks: Webhooks;
  readonly events: Events;
  readonly inbox: Inbox;
  /** health probes and the OpenAPI document (Handoff only) */
  readonly service: Service;
  /** the transport: `http.request(method, path, {query, body})` for anything not wrapped */
  readonly http: Http;

  constructor(options: ClientOptions) {
    this.http = new Http(options);
    this.chats = new Chats(this.http);
    this.messages = new Messages(this.http);
    this.customers = new Customers(this.http);
    this.agents = new Agents(this.http);
    this.departments = new Departments(this.http);
    this.applications = new Applications(this.http);
    this.organization = new Organization(this.http);
    this.webhooks = new Webhooks(this.http);
    this.events = new Events(this.http);
    this.inbox = new Inbox(this.http);
    this.service = new Service(this.http);
  }
}

export { HandoffApiError, type ErrorItem } from './errors.ts';
export { DEFAULT_BASE_URL, type ClientOptions, type Method, type Query, type RequestOptions } from './http.ts';
export { MAX_LIMIT, pages, totalOf, type Page, type Paged } from './paging.ts';
export { parseEventStream, type StreamOptions } from './resources/events.ts';
export type * from './types.ts';
