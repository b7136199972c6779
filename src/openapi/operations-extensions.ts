// Handoff's own routes (API.md's [ext]: §4.6–§4.8, docs/inbox.md, the health probes and this
// document): one entry per registered route, with the schemas the route parses with and answers in.
import { Type, type TObject } from '@sinclair/typebox';
import { AssignmentSchema } from '../assignment/history.response.ts';
import { policyBody } from '../assignment/routing/policy.schema.ts';
import { QueueLineSchema, RoutedSchema, RoutingPolicySchema } from '../assignment/routing/routing.response.ts';
import { routeBody } from '../assignment/routing/routing.schema.ts';
import { agentUpdateBody, presenceBody } from '../modules/agents/agents.schema.ts';
import { AgentSchema } from '../modules/agents/agents.response.ts';
import { ChatSchema } from '../modules/chats/chats.response.ts';
import { CustomerEventSchema } from '../modules/customer-events/customer-events.response.ts';
import { InboxAgentSchema } from '../modules/inbox/inbox.response.ts';
import { inboxChatsQueryFields } from '../modules/inbox/inbox.schema.ts';
import { settingsBody } from '../modules/organizations/organizations.schema.ts';
import { SettingsSchema } from '../modules/organizations/organizations.response.ts';
import { signInBody } from '../modules/sessions/sessions.schema.ts';
import { SessionSchema, SignedInSchema } from '../modules/sessions/sessions.response.ts';
import { createWebhookBody } from '../modules/webhooks/webhooks.schema.ts';
import { DeliverySchema, WebhookSchema } from '../modules/webhooks/webhooks.response.ts';
import { bareListOf, dataOf, listOf, OkAnswer } from '../presenters/schema.ts';
import type { Operation, QueryParam } from './operation.ts';

const ok = { status: 200 as const, schema: OkAnswer, description: '"Ok"' };
const policy = { status: 200 as const, schema: RoutingPolicySchema, description: 'the policy as stored' };
const inboxQuery: QueryParam[] = Object.entries((inboxChatsQueryFields.schema as TObject).properties).map(([name, schema]) => ({ name, schema }));

const ROUTING_PATCH = 'Every key is optional; an omitted key keeps its value.';

export const EXTENSION_OPERATIONS: Operation[] = [
  {
    method: 'GET', path: '/v1/chats/:id/assignments', summary: "A chat's assignment history, oldest first", tag: 'Chats', ext: true, pathEntity: 'Chat', paged: true,
    ok: { status: 200, schema: listOf(AssignmentSchema), description: 'a page of history rows' },
  },
  {
    method: 'GET', path: '/v1/customers/:id/events', summary: "A customer's activity events, newest first", tag: 'Customers', ext: true, pathEntity: 'Customer', paged: true,
    ok: { status: 200, schema: bareListOf(CustomerEventSchema), description: 'a page of events' },
  },
  {
    method: 'PUT', path: '/v1/agents/:id/status', summary: "Set an agent's presence", tag: 'Agents', ext: true, pathEntity: 'Agent', body: presenceBody.schema,
    description: "An inbox session may set its own agent's presence; another agent's needs an admin or a superviser (403).",
    ok: { status: 200, schema: AgentSchema, description: 'the agent after the change' },
  },
  {
    method: 'PUT', path: '/v1/agents/:id', summary: "Set an agent's own routing capacity", tag: 'Agents', ext: true, pathEntity: 'Agent', body: agentUpdateBody.schema,
    ok: { status: 200, schema: AgentSchema, description: 'the agent after the change' },
  },
  {
    method: 'POST', path: '/v1/chats/:id/route', summary: "Run the routing policy for one chat now", tag: 'Routing', ext: true, pathEntity: 'Chat', body: routeBody.schema,
    description: 'With `dryRun` nothing changes. A closed chat is not routed: 409.',
    ok: { status: 200, schema: RoutedSchema, description: 'the chat and the decision' },
    errors: ['409'],
  },
  {
    method: 'GET', path: '/v1/organization/queue', summary: 'Chats waiting for an agent, per department', tag: 'Routing', ext: true, paged: true,
    description: '`limit` bounds the chats listed per department; `waiting` counts them all, `meta.total` all departments together.',
    ok: { status: 200, schema: listOf(QueueLineSchema), description: 'the queue' },
  },
  { method: 'GET', path: '/v1/organization/routing', summary: "The organization's routing policy", tag: 'Routing', ext: true, ok: policy },
  { method: 'PUT', path: '/v1/organization/routing', summary: "Change the organization's routing policy", tag: 'Routing', ext: true, body: policyBody.schema, description: ROUTING_PATCH, ok: policy },
  { method: 'GET', path: '/v1/departments/:id/routing', summary: "A department's routing policy", tag: 'Routing', ext: true, pathEntity: 'Department', ok: policy },
  {
    method: 'PUT', path: '/v1/departments/:id/routing', summary: "Change a department's routing policy", tag: 'Routing', ext: true, pathEntity: 'Department',
    body: policyBody.schema, description: ROUTING_PATCH, ok: policy,
  },
  {
    method: 'GET', path: '/v1/organization/settings', summary: "The organization's inbox settings", tag: 'Inbox', ext: true,
    ok: { status: 200, schema: dataOf(SettingsSchema), description: 'the settings' },
  },
  {
    method: 'PUT', path: '/v1/organization/settings', summary: "Change the organization's inbox settings", tag: 'Inbox', ext: true, body: settingsBody.schema,
    description: 'With an inbox session, only an admin may (403).',
    ok: { status: 200, schema: dataOf(SettingsSchema), description: 'the settings after the change' },
  },
  { method: 'GET', path: '/v1/inbox/agents', summary: 'Every agent with their open chats', tag: 'Inbox', ext: true, ok: { status: 200, schema: listOf(InboxAgentSchema), description: 'all agents, by id' } },
  {
    method: 'GET', path: '/v1/inbox/chats', summary: "The inbox's chat lists, most recently updated first", tag: 'Inbox', ext: true, paged: true, query: inboxQuery,
    description: '`view=mine` needs an inbox session.',
    ok: { status: 200, schema: listOf(ChatSchema), description: 'a page of chats' },
  },
  { method: 'GET', path: '/v1/webhooks', summary: 'List webhook subscriptions', tag: 'Webhooks', ext: true, paged: true, ok: { status: 200, schema: listOf(WebhookSchema), description: 'a page of subscriptions' } },
  {
    method: 'POST', path: '/v1/webhooks', summary: 'Subscribe a URL to events', tag: 'Webhooks', ext: true, body: createWebhookBody.schema,
    description: 'A URL that is not http(s), or whose address the SSRF guard refuses, is a 400 naming `url`. The events are sent as described under `webhooks`.',
    ok: { status: 201, schema: WebhookSchema, description: 'the new subscription' },
  },
  { method: 'GET', path: '/v1/webhooks/:id', summary: 'Get a webhook subscription', tag: 'Webhooks', ext: true, pathEntity: 'Webhook', ok: { status: 200, schema: WebhookSchema, description: 'the subscription' } },
  { method: 'DELETE', path: '/v1/webhooks/:id', summary: 'Delete a webhook subscription', tag: 'Webhooks', ext: true, pathEntity: 'Webhook', ok },
  {
    method: 'GET', path: '/v1/webhooks/:id/deliveries', summary: "A subscription's delivery log, newest first", tag: 'Webhooks', ext: true, pathEntity: 'Webhook', paged: true,
    ok: { status: 200, schema: listOf(DeliverySchema), description: 'a page of delivery attempts' },
  },
  {
    method: 'GET', path: '/v1/events/stream', summary: "The organization's events, live (Server-Sent Events)", tag: 'Events', ext: true,
    query: [{ name: 'lastEventId', schema: Type.String({ pattern: '^[0-9]+$' }), description: 'resume after this position, for clients that cannot send the Last-Event-ID header' }],
    description:
      'A `text/event-stream` that never ends by itself. Each event has `id:` (a position that only grows), `event:` (the event name) and `data:` (the JSON envelope a webhook gets, `attempts: 0`, `lastAttemptAt: null`). ' +
      'Reconnect with `Last-Event-ID` (or `?lastEventId=`) to resume without a gap. A position not yet issued is a 400; too many open streams for the organization a 429 with Retry-After.',
    ok: { status: 200, stream: true, description: 'the event stream' },
    errors: ['400'],
  },
  {
    method: 'POST', path: '/v1/inbox/session', summary: 'Sign in to the inbox', tag: 'Inbox', ext: true, public: true, body: signInBody.schema,
    description: 'Sets the session cookie. A wrong email or password is one 401 for both; too many failed sign-ins a 429.',
    ok: { status: 200, schema: SignedInSchema, description: 'who is signed in, and the CSRF token' },
  },
  {
    method: 'GET', path: '/v1/inbox/session', summary: "The inbox session's agent and CSRF token", tag: 'Inbox', ext: true,
    description: 'An API key has no session: 403.', ok: { status: 200, schema: SignedInSchema, description: 'the session' }, errors: ['403'],
  },
  { method: 'DELETE', path: '/v1/inbox/session', summary: 'Sign out', tag: 'Inbox', ext: true, description: 'An API key has no session: 403.', ok, errors: ['403'] },
  {
    method: 'GET', path: '/v1/inbox/sessions', summary: "The organization's open inbox sessions", tag: 'Inbox', ext: true, paged: true,
    description: 'With an inbox session, only an admin may (403).', ok: { status: 200, schema: listOf(SessionSchema), description: 'a page of sessions' }, errors: ['403'],
  },
  {
    method: 'DELETE', path: '/v1/inbox/sessions/:id', summary: 'Revoke an inbox session', tag: 'Inbox', ext: true, pathEntity: 'Session',
    description: 'With an inbox session, only an admin may (403).', ok, errors: ['403'],
  },
  // Outside /v1: no key, no rate limit.
  { method: 'GET', path: '/health/live', summary: 'Liveness probe', tag: 'Service', ext: true, public: true, ok: { status: 200, schema: Type.Object({ status: Type.Literal('ok') }), description: 'the process answers' } },
  {
    method: 'GET', path: '/health/ready', summary: 'Readiness probe', tag: 'Service', ext: true, public: true,
    description: 'Without its database the instance is unavailable (503); without Redis it still serves, degraded. `version` is the running Handoff version.',
    ok: {
      status: 200,
      schema: Type.Object({
        status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
        version: Type.String(),
        checks: Type.Optional(Type.Record(Type.String(), Type.String())),
      }),
      description: 'ready',
    },
  },
  { method: 'GET', path: '/openapi.json', summary: 'This document', tag: 'Service', ext: true, public: true, ok: { status: 200, schema: Type.Object({}, { additionalProperties: true }), description: 'OpenAPI 3.1' } },
  {
    method: 'GET', path: '/docs', summary: 'This document, rendered (Swagger UI)', tag: 'Service', ext: true, public: true,
    ok: { status: 200, schema: Type.String(), description: 'an HTML page', contentType: 'text/html' },
  },
];
