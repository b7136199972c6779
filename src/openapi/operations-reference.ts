// The HelpCrunch REST API v1 routes as Handoff serves them (API.md §4.1–§4.4): one entry per
// registered route, with the schemas the route parses with and answers in.
import { Type, type TObject } from '@sinclair/typebox';
import { departmentBody, rateBody, readBody, snoozeBody, statusBody } from '../modules/chats/chat-changes.schema.ts';
import { chatSearchSchema, chatSortSchema } from '../modules/chats/chat-search.schema.ts';
import { assigneeBody, createChatBody } from '../modules/chats/chats.schema.ts';
import { ChatSchema } from '../modules/chats/chats.response.ts';
import { AgentSchema } from '../modules/agents/agents.response.ts';
import { ApplicationSchema } from '../modules/applications/applications.response.ts';
import { customerEventBody } from '../modules/customer-events/customer-events.schema.ts';
import { CustomerEventSchema } from '../modules/customer-events/customer-events.response.ts';
import { customerSearchSchema, customerSortSchema } from '../modules/customers/customer-search.schema.ts';
import { BATCH_MAX, createCustomerBody, tagsBody, updateCustomerBody } from '../modules/customers/customers.schema.ts';
import { CustomerSchema } from '../modules/customers/customers.response.ts';
import { DepartmentSchema } from '../modules/departments/departments.response.ts';
import { createMessageBody } from '../modules/messages/messages.schema.ts';
import { MessageSchema } from '../modules/messages/messages.response.ts';
import { OrganizationSchema } from '../modules/organizations/organizations.response.ts';
import { orderSchema } from '../modules/search/search.schema.ts';
import { requiredId } from '../input/validate.ts';
import { bareListOf, dataOf, listOf, OkAnswer, searchOf } from '../presenters/schema.ts';
import type { Operation } from './operation.ts';

const chat = (description = 'the whole Chat after the change') => ({ status: 200 as const, schema: ChatSchema, description });

/** PUT /v1/chats/{status,department,…} `{id, …}`: the chat being changed is named in the body */
const chatChange = (path: string, summary: string, body: { schema: Operation['body'] }): Operation => ({
  method: 'PUT',
  path,
  summary,
  tag: 'Chats',
  body: body.schema,
  ok: chat(),
  errors: ['404 chat in body'],
});

// `snoozedUntil` "in the future" is checked against the clock; the schema does not depend on it.
const snooze = snoozeBody({ now: () => 0 });

/** PUT /v1/customers/batch: 1..10 `{customer, …fields}` (the update's fields, plus the customer) */
const batchBody = Type.Array(
  Type.Object({ customer: requiredId().schema, ...(updateCustomerBody.schema as TObject).properties }, { additionalProperties: true }),
  { minItems: 1, maxItems: BATCH_MAX },
);

const sortQuery = (sort: Operation['body']) => [
  { name: 'sort', schema: sort!, description: 'with or without the prefix' },
  { name: 'order', schema: orderSchema },
];

export const REFERENCE_OPERATIONS: Operation[] = [
  // §4.1 lists and reads
  { method: 'GET', path: '/v1/chats', summary: 'List chats', tag: 'Chats', paged: true, query: sortQuery(chatSortSchema), ok: { status: 200, schema: listOf(ChatSchema), description: 'a page of chats' } },
  { method: 'GET', path: '/v1/chats/:id', summary: 'Get a chat', tag: 'Chats', pathEntity: 'Chat', ok: chat('the chat') },
  {
    method: 'POST', path: '/v1/chats/search', summary: 'Search chats', tag: 'Chats', body: chatSearchSchema,
    ok: { status: 200, schema: searchOf(ChatSchema), description: 'a page of matching chats; the total in both places' },
  },
  {
    method: 'GET', path: '/v1/chats/:id/messages', summary: "List a chat's messages, newest first", tag: 'Messages', pathEntity: 'Chat', paged: true,
    ok: { status: 200, schema: bareListOf(MessageSchema), description: 'a page of messages' },
  },
  { method: 'GET', path: '/v1/customers', summary: 'List customers', tag: 'Customers', paged: true, query: sortQuery(customerSortSchema), ok: { status: 200, schema: bareListOf(CustomerSchema), description: 'a page of customers' } },
  { method: 'GET', path: '/v1/customers/:id', summary: 'Get a customer', tag: 'Customers', pathEntity: 'Customer', ok: { status: 200, schema: CustomerSchema, description: 'the customer' } },
  {
    method: 'POST', path: '/v1/customers/search', summary: 'Search customers', tag: 'Customers', body: customerSearchSchema,
    ok: { status: 200, schema: searchOf(CustomerSchema), description: 'a page of matching customers; the total in both places' },
  },
  { method: 'GET', path: '/v1/agents', summary: 'List agents', tag: 'Agents', paged: true, ok: { status: 200, schema: listOf(AgentSchema), description: 'a page of agents, deactivated ones included' } },
  { method: 'GET', path: '/v1/departments', summary: 'List departments', tag: 'Departments', paged: true, ok: { status: 200, schema: listOf(DepartmentSchema), description: 'a page of departments' } },
  { method: 'GET', path: '/v1/applications', summary: 'List applications', tag: 'Applications', paged: true, ok: { status: 200, schema: listOf(ApplicationSchema), description: 'a page of applications' } },
  { method: 'GET', path: '/v1/organization', summary: "The key's organization", tag: 'Organization', ok: { status: 200, schema: dataOf(OrganizationSchema), description: 'the organization' } },

  // §4.2, §4.3 chat changes
  {
    method: 'PUT', path: '/v1/chats/assignee', summary: 'Assign a chat (or unassign it with null)', tag: 'Chats', body: assigneeBody.schema, ok: chat(),
    description: 'An unknown, foreign or deactivated agent is a 400 naming `assignee`. [ext] With `expectedAssignee` (an id or null) different from the current assignee nothing changes: 409.',
    errors: ['404 chat in body', '409'],
  },
  chatChange('/v1/chats/status', "Set a chat's status", statusBody),
  chatChange('/v1/chats/department', "Set a chat's department (null: none)", departmentBody),
  chatChange('/v1/chats/snooze', 'Snooze a chat until a time (null: unsnooze)', snooze),
  {
    ...chatChange('/v1/chats/rate', 'Rate a closed chat', rateBody),
    description: 'Only a closed, unrated chat with an agent message can be rated; otherwise 400 with the reason.',
  },
  chatChange('/v1/chats/readByAgent', 'Mark a chat read (or unread) by the agent', readBody),
  chatChange('/v1/chats/readByCustomer', 'Mark a chat read (or unread) by the customer', readBody),
  chatChange('/v1/chats/read', 'Mark a chat read (or unread) on both sides', readBody),

  // §4.4 creates, updates, deletes
  {
    method: 'POST', path: '/v1/chats', summary: 'Create a chat', tag: 'Chats', body: createChatBody.schema,
    ok: { status: 201, schema: ChatSchema, description: 'the new chat (`status: "empty"`, `createdWith: "public_api"`)' },
  },
  {
    method: 'POST', path: '/v1/messages', summary: 'Post a message to a chat', tag: 'Messages', body: createMessageBody.schema,
    description: 'No `agent`: the customer writes. 200, not 201, as the reference answers.',
    ok: { status: 200, schema: MessageSchema, description: 'the new message' },
    errors: ['404 chat in body'],
  },
  {
    method: 'POST', path: '/v1/customers', summary: 'Create a customer', tag: 'Customers', body: createCustomerBody.schema,
    description: 'A `userId` already in use is a 400 whose first item is `invalid_userId_value`.',
    ok: { status: 201, schema: CustomerSchema, description: 'the new customer' },
  },
  ...(['PUT', 'PATCH'] as const).map((method): Operation => ({
    method, path: '/v1/customers/:id', summary: method === 'PUT' ? 'Update a customer (fields present are set, null clears)' : 'Update a customer partially',
    tag: 'Customers', pathEntity: 'Customer', body: updateCustomerBody.schema, ok: { status: 200, schema: CustomerSchema, description: 'the customer after the change' },
  })),
  {
    method: 'PUT', path: '/v1/customers/batch', summary: 'Update up to 10 customers', tag: 'Customers', body: batchBody,
    description: 'Every failing field of every item is reported in one 400, named by its place (`[2].email`), unknown customers too.',
    ok: { status: 200, schema: dataOf(Type.Array(CustomerSchema)), description: 'the customers, in request order' },
  },
  { method: 'DELETE', path: '/v1/customers/:id', summary: 'Delete a customer with their chats and messages', tag: 'Customers', pathEntity: 'Customer', ok: { status: 200, schema: OkAnswer, description: '"Ok"' } },
  ...(['PUT', 'DELETE'] as const).map((method): Operation => ({
    method, path: '/v1/customers/:id/tags', summary: method === 'PUT' ? 'Add tags to a customer' : "Remove tags from a customer, by name",
    tag: 'Customers', pathEntity: 'Customer', body: tagsBody.schema, ok: { status: 200, schema: CustomerSchema, description: 'the customer after the change' },
  })),
  {
    method: 'POST', path: '/v1/events', summary: "Record a customer's activity event", tag: 'Customers', body: customerEventBody.schema,
    ok: { status: 200, schema: CustomerEventSchema, description: 'the recorded event' },
  },
  { method: 'GET', path: '/v1/agents/:id/unsubscribe', summary: 'Unsubscribe an agent', tag: 'Agents', pathEntity: 'Agent', ok: { status: 200, schema: OkAnswer, description: '"Ok"' } },
];
