// Every /v1 route, written once (DESIGN rule 9): a sample request that works on the test world,
// where each route names an entity (`missing`, and every other id-bearing place in `ids`), and
// the body's field names from its schema. route-checks, the fuzz suites and the tenant matrix
// run over this table; test/route-table.test.ts fails when the app registers a route it lacks.
import type { TSchema } from '@sinclair/typebox';
import { policyBody } from '../../src/assignment/routing/policy.schema.ts';
import { routeBody } from '../../src/assignment/routing/routing.schema.ts';
import { agentUpdateBody, presenceBody } from '../../src/modules/agents/agents.schema.ts';
import { departmentBody, rateBody, readBody, statusBody } from '../../src/modules/chats/chat-changes.schema.ts';
import { assigneeBody, createChatBody } from '../../src/modules/chats/chats.schema.ts';
import { customerEventBody } from '../../src/modules/customer-events/customer-events.schema.ts';
import { createCustomerBody, tagsBody, updateCustomerBody } from '../../src/modules/customers/customers.schema.ts';
import { createMessageBody } from '../../src/modules/messages/messages.schema.ts';
import { settingsBody } from '../../src/modules/organizations/organizations.schema.ts';
import { signInBody } from '../../src/modules/sessions/sessions.schema.ts';
import { createWebhookBody } from '../../src/modules/webhooks/webhooks.schema.ts';
import { agentOf, customerOf, departmentOf, hookOf, sessionOf, spareCustomer, spareHook, spareSession, type World } from './route-world.ts';

export type { World } from './route-world.ts';
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type Entity = 'chat' | 'customer' | 'agent' | 'webhook' | 'department' | 'session' | 'application';
export interface Request {
  path: string;
  body?: unknown;
}
/** another place of a request that names an entity by id (tenant matrix, issue 15 item 4) */
export interface IdPlace {
  /** e.g. `body assignee`, `filter chats.customer`, `query department` */
  name: string;
  entity: Entity;
  request: (w: World, id: number) => Request;
}
export interface Route {
  method: Method;
  path: (w: World) => string;
  body?: (w: World) => unknown;
  /** the same request aimed at a missing / foreign entity, when the route names one */
  missing?: (w: World, id: number) => Request;
  /** which entity `missing` names (default: a chat) */
  foreign?: Exclude<Entity, 'chat' | 'application'>;
  /** every other place the route takes an id (body, query, search filter) */
  ids?: IdPlace[];
  /**
   * what the sample request answers with a valid key when it cannot succeed on the test world
   * (rating needs a closed chat with an agent message): proof it got past auth and routing
   */
  okStatus?: number;
  /** the body's schema, where the fuzz takes the field names it sets hostile values on */
  schema?: { schema: TSchema };
  /** a response that never ends (Server-Sent Events): the checks that wait for an answer skip it */
  stream?: true;
  /** public (no key): only the fuzz calls it */
  public?: true;
}

export const passed = (route: Route, status: number) => (route.okStatus ? status === route.okStatus : status < 300);
/** `GET /v1/chats/:id`: the route's pattern as Fastify registers it */
export const patternOf = (route: Route) => `${route.method} ${route.path({ chat: { id: ':id' } } as never).split('?')[0]}`;

const change = (path: string, schema: Route['schema'], value: (w: World) => Record<string, unknown>, okStatus?: number, ids?: IdPlace[]): Route => ({
  method: 'PUT',
  path: () => path,
  body: (w) => ({ id: w.chat.id, ...value(w) }),
  missing: (w, id) => ({ path, body: { id, ...value(w) } }),
  okStatus,
  schema,
  ids,
});
const bodyId = (path: string, entity: Entity, key: string, sample: (w: World) => Record<string, unknown>): IdPlace => ({
  name: `body ${key}`,
  entity,
  request: (w, id) => ({ path, body: { ...sample(w), [key]: id } }),
});
/** a search naming an entity by id in one condition: another organization's id must match nothing */
const filterId = (path: string, field: string, entity: Entity): IdPlace => ({
  name: `filter ${field}`,
  entity,
  request: (_, id) => ({ path, body: { filter: [{ field, operator: '=', value: id }] } }),
});

const assigneeSample = (w: World) => ({ id: w.chat.id, assignee: null });
const chatSample = (w: World) => ({ customer: w.chat.customer.id, application: w.org.applicationId });
const messageSample = (w: World) => ({ chat: w.chat.id, text: 'Route check' });

export const ROUTES: Route[] = [
  change('/v1/chats/status', statusBody, () => ({ status: 'pending' })),
  change('/v1/chats/department', departmentBody, () => ({ department: null }), undefined, [bodyId('/v1/chats/department', 'department', 'department', (w) => ({ id: w.chat.id }))]),
  change('/v1/chats/snooze', undefined, () => ({ snoozedUntil: null })),
  change('/v1/chats/rate', rateBody, () => ({ rating: 'great' }), 400),
  change('/v1/chats/readByAgent', readBody, () => ({ read: true })),
  change('/v1/chats/readByCustomer', readBody, () => ({ read: true })),
  change('/v1/chats/read', readBody, () => ({ read: false })),
  {
    method: 'POST',
    path: () => '/v1/messages',
    body: messageSample,
    missing: (_, id) => ({ path: '/v1/messages', body: { chat: id, text: 'Route check' } }),
    schema: createMessageBody,
    ids: [bodyId('/v1/messages', 'agent', 'agent', messageSample)],
  },
  { method: 'GET', path: (w) => `/v1/chats/${w.chat.id}/messages`, missing: (_, id) => ({ path: `/v1/chats/${id}/messages` }) },
  {
    method: 'PUT',
    path: () => '/v1/chats/assignee',
    body: (w) => ({ id: w.chat.id, assignee: w.agents[0].id }),
    missing: (w, id) => ({ path: '/v1/chats/assignee', body: { id, assignee: null } }),
    schema: assigneeBody,
    ids: [bodyId('/v1/chats/assignee', 'agent', 'assignee', assigneeSample), bodyId('/v1/chats/assignee', 'agent', 'expectedAssignee', assigneeSample)],
  },
  { method: 'GET', path: (w) => `/v1/chats/${w.chat.id}`, missing: (_, id) => ({ path: `/v1/chats/${id}` }) },
  { method: 'GET', path: (w) => `/v1/chats/${w.chat.id}/assignments`, missing: (_, id) => ({ path: `/v1/chats/${id}/assignments` }) },
  {
    method: 'POST',
    path: () => '/v1/chats',
    body: chatSample,
    missing: (w, id) => ({ path: '/v1/chats', body: { customer: id, application: w.org.applicationId } }),
    foreign: 'customer',
    schema: createChatBody,
    ids: (['application', 'assignee', 'department'] as const).map((key) => bodyId('/v1/chats', key === 'assignee' ? 'agent' : key, key, chatSample)),
  },
  { method: 'POST', path: () => '/v1/customers', body: () => ({ name: 'Route check' }), schema: createCustomerBody },
  { method: 'GET', path: () => '/v1/chats' },
  {
    method: 'POST',
    path: () => '/v1/chats/search',
    body: () => ({ filter: [{ field: 'chats.status', operator: '=', value: 'empty' }] }),
    ids: [filterId('/v1/chats/search', 'chats.assignee', 'agent'), filterId('/v1/chats/search', 'chats.customer', 'customer'), filterId('/v1/chats/search', 'chats.department', 'department'), filterId('/v1/chats/search', 'chats.agents', 'agent')],
  },
  { method: 'GET', path: () => '/v1/agents' },
  { method: 'GET', path: () => '/v1/departments' },
  { method: 'GET', path: () => '/v1/applications' },
  { method: 'GET', path: () => '/v1/customers' },
  { method: 'GET', path: (w) => `/v1/customers/${customerOf(w)}`, missing: (_, id) => ({ path: `/v1/customers/${id}` }), foreign: 'customer' },
  {
    method: 'POST',
    path: () => '/v1/customers/search',
    body: () => ({ filter: [{ field: 'customers.name', operator: '~', value: 'a' }] }),
    ids: [filterId('/v1/customers/search', 'customers.id', 'customer')],
  },
  ...(['PUT', 'PATCH'] as const).map((method): Route => ({
    method,
    path: (w) => `/v1/customers/${customerOf(w)}`,
    body: () => ({ name: 'Route check' }),
    missing: (_, id) => ({ path: `/v1/customers/${id}`, body: { name: 'Route check' } }),
    foreign: 'customer',
    schema: updateCustomerBody,
  })),
  {
    method: 'PUT',
    path: () => '/v1/customers/batch',
    body: (w) => [{ customer: w.chat.customer.id, name: 'Route check' }],
    missing: (_, id) => ({ path: '/v1/customers/batch', body: [{ customer: id, name: 'Route check' }] }),
    foreign: 'customer',
    schema: updateCustomerBody,
  },
  { method: 'DELETE', path: (w) => `/v1/customers/${spareCustomer(w)}`, missing: (_, id) => ({ path: `/v1/customers/${id}` }), foreign: 'customer' },
  ...(['PUT', 'DELETE'] as const).map((method): Route => ({
    method,
    path: (w) => `/v1/customers/${customerOf(w)}/tags`,
    body: () => ({ tags: [{ name: 'route-check' }] }),
    missing: (_, id) => ({ path: `/v1/customers/${id}/tags`, body: { tags: [{ name: 'route-check' }] } }),
    foreign: 'customer',
    schema: tagsBody,
  })),
  {
    method: 'POST',
    path: () => '/v1/events',
    body: (w) => ({ name: 'route_check', customer: w.chat.customer.id }),
    missing: (_, id) => ({ path: '/v1/events', body: { name: 'route_check', customer: id } }),
    foreign: 'customer',
    schema: customerEventBody,
  },
  { method: 'GET', path: (w) => `/v1/customers/${customerOf(w)}/events`, missing: (_, id) => ({ path: `/v1/customers/${id}/events` }), foreign: 'customer' },
  { method: 'GET', path: (w) => `/v1/agents/${agentOf(w)}/unsubscribe`, missing: (_, id) => ({ path: `/v1/agents/${id}/unsubscribe` }), foreign: 'agent' },
  { method: 'GET', path: () => '/v1/organization' },
  // [ext] presence, an agent's own capacity, routing policies (API.md §4.6, §4.7)
  {
    method: 'PUT',
    path: (w) => `/v1/agents/${agentOf(w)}/status`,
    body: () => ({ status: 'online' }),
    missing: (_, id) => ({ path: `/v1/agents/${id}/status`, body: { status: 'online' } }),
    foreign: 'agent',
    schema: presenceBody,
  },
  {
    method: 'PUT',
    path: (w) => `/v1/agents/${agentOf(w)}`,
    body: () => ({ capacity: 3 }),
    missing: (_, id) => ({ path: `/v1/agents/${id}`, body: { capacity: 3 } }),
    foreign: 'agent',
    schema: agentUpdateBody,
  },
  { method: 'POST', path: (w) => `/v1/chats/${w.chat?.id ?? ':id'}/route`, body: () => ({ dryRun: true }), missing: (_, id) => ({ path: `/v1/chats/${id}/route`, body: { dryRun: true } }), schema: routeBody },
  { method: 'GET', path: () => '/v1/organization/queue' },
  { method: 'GET', path: () => '/v1/organization/routing' },
  { method: 'PUT', path: () => '/v1/organization/routing', body: () => ({ capacity: 5 }), schema: policyBody },
  { method: 'GET', path: (w) => `/v1/departments/${departmentOf(w)}/routing`, missing: (_, id) => ({ path: `/v1/departments/${id}/routing` }), foreign: 'department' },
  {
    method: 'PUT',
    path: (w) => `/v1/departments/${departmentOf(w)}/routing`,
    body: () => ({ sticky: true }),
    missing: (_, id) => ({ path: `/v1/departments/${id}/routing`, body: { sticky: true } }),
    foreign: 'department',
    schema: policyBody,
  },
  // [ext] the inbox's routes (docs/inbox.md), with an API key here; sessions: inbox-*.test.ts
  { method: 'GET', path: () => '/v1/organization/settings' },
  { method: 'PUT', path: () => '/v1/organization/settings', body: () => ({ agentsMayReassign: false }), schema: settingsBody },
  { method: 'GET', path: () => '/v1/inbox/agents' },
  {
    method: 'GET',
    path: () => '/v1/inbox/chats?view=unassigned&q=example',
    ids: [{ name: 'query department', entity: 'department', request: (_, id) => ({ path: `/v1/inbox/chats?view=all&department=${id}` }) }],
  },
  { method: 'GET', path: () => '/v1/webhooks' },
  // The SSRF guard is on here: a loopback URL is refused with a 400 naming `url`, proof the
  // request got past auth, rate limit and parsing (ssrf.test.ts covers the refusal itself).
  { method: 'POST', path: () => '/v1/webhooks', body: () => ({ url: 'http://127.0.0.1:9/route-check', events: ['*'] }), okStatus: 400, schema: createWebhookBody },
  { method: 'GET', path: (w) => `/v1/webhooks/${hookOf(w)}`, missing: (_, id) => ({ path: `/v1/webhooks/${id}` }), foreign: 'webhook' },
  { method: 'GET', path: (w) => `/v1/webhooks/${hookOf(w)}/deliveries`, missing: (_, id) => ({ path: `/v1/webhooks/${id}/deliveries` }), foreign: 'webhook' },
  { method: 'DELETE', path: (w) => `/v1/webhooks/${spareHook(w)}`, missing: (_, id) => ({ path: `/v1/webhooks/${id}` }), foreign: 'webhook' },
  // [ext] the inbox's sessions (docs/inbox.md): a key has no session of its own to show or end (403)
  { method: 'GET', path: () => '/v1/inbox/session', okStatus: 403 },
  { method: 'DELETE', path: () => '/v1/inbox/session', okStatus: 403 },
  { method: 'GET', path: () => '/v1/inbox/sessions' },
  { method: 'DELETE', path: (w) => `/v1/inbox/sessions/${spareSession(w)}`, missing: (_, id) => ({ path: `/v1/inbox/sessions/${id}` }), foreign: 'session' },
  // Outside route-checks: the stream never ends (event-stream*.test.ts), the sign-in has no key.
  { method: 'GET', path: () => '/v1/events/stream', stream: true },
  { method: 'POST', path: () => '/v1/inbox/session', body: () => ({ email: 'nobody@example.test', password: 'wrong' }), okStatus: 401, schema: signInBody, public: true },
];

/** the routes every key-authenticated check (401, 429, malformed body, revoked key) runs over */
export const KEY_ROUTES = ROUTES.filter((r) => !r.stream && !r.public);

/** the id a `foreign`/`IdPlace` entity has in world `w` */
export const idOf = (w: World, entity: Entity): number =>
  ({
    chat: w.chat.id,
    customer: w.chat.customer.id,
    agent: w.agents[0].id,
    webhook: Number(hookOf(w)),
    department: Number(departmentOf(w)),
    session: Number(sessionOf(w)),
    application: w.org.applicationId,
  })[entity];
