// DELETE /v1/customers/{id} (API.md §4.4): 200 "Ok"; the customer's chats and messages go
// with it, and nothing else of the customer remains; one customer.deleted event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, client, T0, type Client, type TestApp } from './helpers/app.ts';
import { expectError, expectExact, INVALID } from './helpers/expect.ts';
import { factories } from './helpers/factories.ts';

let t: TestApp;
let f: ReturnType<typeof factories>;
let api: Client;
let w: Awaited<ReturnType<ReturnType<typeof factories>['world']>>;

beforeAll(async () => {
  t = await buildTestApp();
  f = factories(t.database, t.clock);
  w = await f.world();
  api = client(t.app, w.org.apiKey);
});
afterAll(() => t.close());

const db = () => t.database.db;

/** a customer with tags, an event, two chats with messages, writers and assignment history */
async function busyCustomer(name: string) {
  const customer = (await api.post('/v1/customers', { name, userId: `${name}-uid`, tags: ['vip'] })).body;
  expect((await api.post('/v1/events', { name: 'visited', customer: customer.id })).status).toBe(200);
  const chats = [];
  for (let i = 0; i < 2; i++) {
    const chat = await f.chat(w.org.id, { applicationId: w.org.applicationId, customerId: customer.id, assignee: w.agents[0].id });
    expect((await api.put('/v1/chats/assignee', { id: chat.id, assignee: w.agents[1].id })).status).toBe(200);
    // Messages and writers are written directly: this file tests deletion, not POST /v1/messages.
    for (const [k, from] of (['customer', 'agent'] as const).entries()) {
      await t.database.write((trx) =>
        trx
          .insertInto('messages')
          .values({ organization_id: w.org.id, chat_id: chat.id, agent_id: from === 'agent' ? w.agents[1].id : null, type: 'message', text: `m${k}`, from, read: 0, edited: 0, created_at: T0 + k, updated_at: T0 + k })
          .execute(),
      );
    }
    await t.database.write((trx) => trx.insertInto('chat_agents').values({ organization_id: w.org.id, chat_id: chat.id, agent_id: w.agents[1].id, created_at: T0 }).execute());
    chats.push(chat.id);
  }
  return { customer, chats };
}

/** every row anywhere that belongs to the customer or one of their chats */
async function remains(customerId: number, chatIds: number[]) {
  const byChat = async (table: 'messages' | 'chat_agents' | 'assignments') =>
    (await db().selectFrom(table).select('chat_id').where('chat_id', 'in', chatIds).execute()).length;
  const byCustomer = async (table: 'customers' | 'customer_tags' | 'customer_events' | 'chats') =>
    (await db().selectFrom(table as 'chats').select('organization_id').where(table === 'customers' ? 'id' : 'customer_id', '=', customerId).execute()).length;
  return {
    customers: await byCustomer('customers'),
    customer_tags: await byCustomer('customer_tags'),
    customer_events: await byCustomer('customer_events'),
    chats: await byCustomer('chats'),
    messages: await byChat('messages'),
    chat_agents: await byChat('chat_agents'),
    assignments: await byChat('assignments'),
  };
}

describe('DELETE /v1/customers/{id}', () => {
  it('answers 200 with the JSON string "Ok"; nothing of the customer remains; others are untouched', async () => {
    const doomed = await busyCustomer('doomed');
    const kept = await busyCustomer('kept');
    const keptBefore = await remains(kept.customer.id, kept.chats);
    expect(await remains(doomed.customer.id, doomed.chats)).toEqual({ customers: 1, customer_tags: 1, customer_events: 1, chats: 2, messages: 4, chat_agents: 2, assignments: 4 });

    expectExact(await api.delete(`/v1/customers/${doomed.customer.id}`), 200, 'Ok');

    expect(await remains(doomed.customer.id, doomed.chats)).toEqual({ customers: 0, customer_tags: 0, customer_events: 0, chats: 0, messages: 0, chat_agents: 0, assignments: 0 });
    expect(await remains(kept.customer.id, kept.chats)).toEqual(keptBefore);
    expectError(await api.get(`/v1/customers/${doomed.customer.id}`), 404, INVALID, { code: 'not_found', message: 'Customer not found' });
    for (const chatId of doomed.chats) expectError(await api.get(`/v1/chats/${chatId}`), 404, INVALID, { code: 'not_found', message: 'Chat not found' });
    expect((await api.post('/v1/chats/search', { filter: [{ field: 'chats.customer', operator: '=', value: doomed.customer.id }] })).body.total).toBe(0);
    // the userId is free again
    expect((await api.post('/v1/customers', { userId: 'doomed-uid' })).status).toBe(201);
  });

  it('writes one customer.deleted event carrying the customer as they were', async () => {
    const c = (await api.post('/v1/customers', { name: 'Bye', email: 'bye@example.test', tags: ['x'] })).body;
    await api.delete(`/v1/customers/${c.id}`);
    const events = await db().selectFrom('outbox').select(['event', 'chat_id', 'event_data']).where('event', '=', 'customer.deleted').execute();
    const mine = events.filter((e) => JSON.parse(e.event_data).customer.id === c.id);
    expect(mine.map((e) => ({ event: e.event, chatId: e.chat_id, data: JSON.parse(e.event_data) }))).toEqual([
      { event: 'customer.deleted', chatId: null, data: { customer: c } },
    ]);
  });

  it('a second delete, an unknown, non-numeric or another organization’s id → the general 404, nothing deleted', async () => {
    const c = (await api.post('/v1/customers', { name: 'Once' })).body;
    expect((await api.delete(`/v1/customers/${c.id}`)).status).toBe(200);
    const other = await f.world();
    const theirs = other.chat.customer.id;
    for (const id of [c.id, 99_999_999, 'abc', theirs]) {
      expectError(await api.delete(`/v1/customers/${id}`), 404, INVALID, { code: 'not_found', message: 'Customer not found' });
    }
    expect((await client(t.app, other.org.apiKey).get(`/v1/customers/${theirs}`)).status).toBe(200);
    expect((await client(t.app, other.org.apiKey).get(`/v1/chats/${other.chat.id}`)).status).toBe(200);
  });

  it('a body on DELETE is read but ignored (API.md §1)', async () => {
    const c = (await api.post('/v1/customers', { name: 'With body' })).body;
    expectExact(await api.delete(`/v1/customers/${c.id}`, { reason: 'gdpr' }), 200, 'Ok');
  });
});
