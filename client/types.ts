// The client's types, derived from the server's own schemas so they cannot drift: answers are
// `Static<typeof …Schema>` of the response schemas (src/**/*.response.ts) the OpenAPI document
// is built from; request bodies are what the server's body specs (src/**/*.schema.ts) parse a
// body into, their optional keys made optional. Only `import type`: nothing of the server is
// loaded at run time (.dependency-cruiser.cjs, client-imports-only-schema-types).
//
// Why bodies come from `parse` and not `Static<typeof spec.schema>`: a body spec's JSON Schema is
// assembled at run time (`body()` maps its fields), so its static type is the bare TSchema; the
// parser's result type carries every field name and value type. Where the parser changes a
// value's shape (customer event `data` is stored as JSON text, a message's `type` gets its
// default), the wire type is written next to it below.
import type { Static } from '@sinclair/typebox';
import type { AssignmentSchema } from '../src/assignment/history.response.ts';
import type { ChatAssignedDataSchema } from '../src/assignment/history.response.ts';
import type { policyBody } from '../src/assignment/routing/policy.schema.ts';
import type { QueueLineSchema, RoutedSchema, RoutingPolicySchema } from '../src/assignment/routing/routing.response.ts';
import type { routeBody } from '../src/assignment/routing/routing.schema.ts';
import type { AgentSchema } from '../src/modules/agents/agents.response.ts';
import type { agentUpdateBody, presenceBody } from '../src/modules/agents/agents.schema.ts';
import type { ApplicationSchema } from '../src/modules/applications/applications.response.ts';
import type { departmentBody, rateBody, readBody, snoozeBody, statusBody } from '../src/modules/chats/chat-changes.schema.ts';
import type { ChatSchema } from '../src/modules/chats/chats.response.ts';
import type { assigneeBody, createChatBody } from '../src/modules/chats/chats.schema.ts';
import type { CustomerEventSchema } from '../src/modules/customer-events/customer-events.response.ts';
import type { customerEventBody } from '../src/modules/customer-events/customer-events.schema.ts';
import type { CustomerSchema } from '../src/modules/customers/customers.response.ts';
import type { createCustomerBody, tagsBody, updateCustomerBody } from '../src/modules/customers/customers.schema.ts';
import type { DepartmentSchema } from '../src/modules/departments/departments.response.ts';
import type { InboxAgentSchema } from '../src/modules/inbox/inbox.response.ts';
import type { inboxChatsQueryFields } from '../src/modules/inbox/inbox.schema.ts';
import type { MessageSchema } from '../src/modules/messages/messages.response.ts';
import type { createMessageBody } from '../src/modules/messages/messages.schema.ts';
import type { OrganizationSchema, SettingsSchema } from '../src/modules/organizations/organizations.response.ts';
import type { settingsBody } from '../src/modules/organizations/organizations.schema.ts';
import type { SessionSchema } from '../src/modules/sessions/sessions.response.ts';
import type { DeliverySchema, WebhookSchema } from '../src/modules/webhooks/webhooks.response.ts';
import type { createWebhookBody } from '../src/modules/webhooks/webhooks.schema.ts';
import type { Page } from './paging.ts';

type Simplify<T> = { [K in keyof T]: T[K] } & {};
/** a parsed body as a client writes it: keys the parser may leave undefined are optional */
type Wire<T> = Simplify<
  { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & { [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined> }
>;
/** the request body of a body spec (`{ schema, parse }` of src/input/validate.ts) */
type BodyOf<Spec extends { parse(raw: unknown): unknown }> = Wire<ReturnType<Spec['parse']>>;
/** `K` required (a key whose absence the server reports as "This field is missing.") */
type Requiring<T, K extends keyof T> = Simplify<Omit<T, K> & { [P in K]-?: T[P] }>;
type NullRequired<T, K extends keyof T> = Simplify<Omit<T, K> & { [P in K]-?: Exclude<T[P], undefined> | null }>;

// ── answers ────────────────────────────────────────────────────────────────────────────────
export type Chat = Static<typeof ChatSchema>;
export type Message = Static<typeof MessageSchema>;
export type Customer = Static<typeof CustomerSchema>;
export type CustomerEvent = Static<typeof CustomerEventSchema>;
export type Agent = Static<typeof AgentSchema>;
export type Department = Static<typeof DepartmentSchema>;
export type Application = Static<typeof ApplicationSchema>;
export type Organization = Static<typeof OrganizationSchema>;
export type OrganizationSettings = Static<typeof SettingsSchema>;
export type Assignment = Static<typeof AssignmentSchema>;
export type RoutingPolicy = Static<typeof RoutingPolicySchema>;
export type Routed = Static<typeof RoutedSchema>;
export type QueueLine = Static<typeof QueueLineSchema>;
export type Webhook = Static<typeof WebhookSchema>;
export type WebhookDelivery = Static<typeof DeliverySchema>;
export type InboxAgent = Static<typeof InboxAgentSchema>;
export type InboxSession = Static<typeof SessionSchema>;
export type ChatAssignedData = Static<typeof ChatAssignedDataSchema>;

/** `{"data":[…],"meta":{"total":N}}` */
export interface List<T> {
  data: T[];
  meta: { total: number };
}
/** `{"data":[…],"total":N}` */
export interface BareList<T> {
  data: T[];
  total: number;
}
/** a search's answer: the total in both places */
export interface SearchResult<T> {
  data: T[];
  meta: { total: number };
  total: number;
}
/** `{"data": …}` */
export interface Data<T> {
  data: T;
}
/** the JSON string "Ok" of a delete, an unsubscribe, a sign-out */
export type Ok = 'Ok';

// ── requests ───────────────────────────────────────────────────────────────────────────────
export type CreateChatRequest = BodyOf<typeof createChatBody>;
export type AssignRequest = NullRequired<BodyOf<typeof assigneeBody>, 'assignee'>;
export type SetStatusRequest = BodyOf<typeof statusBody>;
export type SetDepartmentRequest = NullRequired<BodyOf<typeof departmentBody>, 'department'>;
export type SnoozeRequest = BodyOf<ReturnType<typeof snoozeBody>>;
export type RateRequest = BodyOf<typeof rateBody>;
export type ReadRequest = BodyOf<typeof readBody>;
export type RouteRequest = BodyOf<typeof routeBody>;

type ParsedMessage = ReturnType<typeof createMessageBody.parse>;
/** no `agent`: the customer writes; `type` defaults to "message" */
export type CreateMessageRequest = Simplify<Wire<Omit<ParsedMessage, 'type'>> & { type?: ParsedMessage['type'] }>;

export type CreateCustomerRequest = BodyOf<typeof createCustomerBody>;
/** PUT and PATCH: a present key is set, an omitted one kept, null clears */
export type UpdateCustomerRequest = BodyOf<typeof updateCustomerBody>;
export type BatchUpdateItem = Simplify<{ customer: number } & UpdateCustomerRequest>;
export type TagsRequest = Requiring<BodyOf<typeof tagsBody>, 'tags'>;
/** POST /v1/events: `data` is any JSON object or array, kept as sent */
export type CustomerEventRequest = Simplify<Omit<BodyOf<typeof customerEventBody>, 'data'> & { data?: Record<string, unknown> | unknown[] | null }>;

export type PresenceRequest = Requiring<BodyOf<typeof presenceBody>, 'status'>;
export type AgentUpdateRequest = BodyOf<typeof agentUpdateBody>;
export type RoutingPolicyPatch = BodyOf<typeof policyBody>;
export type SettingsPatch = BodyOf<typeof settingsBody>;
/** `events`: event names, or "*" (alone or in the list) for all; absent means all */
export type CreateWebhookRequest = Simplify<Requiring<Omit<BodyOf<typeof createWebhookBody>, 'events'>, 'url'> & { events?: string[] | '*' | null }>;
export type InboxChatsQuery = Simplify<BodyOf<typeof inboxChatsQueryFields> & Page>;

/** GET lists' query: paging and, for chats and customers, the sort */
export interface ListQuery extends Page {
  /** with or without the prefix: `createdAt` or `chats.createdAt` */
  sort?: string;
  order?: 'asc' | 'desc' | 'ASC' | 'DESC';
}

export type Operator = '=' | '!=' | '>' | '<' | '>=' | '<=' | '~' | '!~';
export interface Condition {
  /** `chats.status`, `customer.email`, `customers.name`…: the document lists every field */
  field: string;
  operator: Operator;
  value: unknown;
}
/**
 * The search body of POST /v1/chats/search and /v1/customers/search. Written here rather than
 * derived: the server builds the field and sort names of its search schemas from its catalogues
 * at run time, so their static type carries none of them.
 */
export interface SearchRequest extends ListQuery {
  filter?: Condition[] | null;
  comparison?: 'AND' | 'OR' | 'and' | 'or';
}

// ── the event stream ───────────────────────────────────────────────────────────────────────
export type EventData = { chat: Chat } | ChatAssignedData | { customer: Customer } | { message: Message; chat: Chat } | { agent: Agent };
/** what a webhook is sent and the stream's `data:` carries */
export interface EventEnvelope {
  /** the same on every retry and on the stream: an idempotency key */
  id: string;
  event: string;
  eventData: EventData;
  attempts: number;
  lastAttemptAt: string | null;
  createdAt: string;
}
/** one event of GET /v1/events/stream */
export interface StreamEvent {
  /** the event's position (the SSE `id:`): resume after it with `lastEventId` */
  position: string;
  /** the event name (the SSE `event:`) */
  event: string;
  data: EventEnvelope;
}
