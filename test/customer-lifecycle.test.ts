// An integration's whole life-cycle, written as a HelpCrunch client would call the API, against
// a server on a real port (fetch, no Content-Type of our choosing): create customer → create
// chat → customer message → list agents → assign → agent reply → close → rate → search →
// export every chat with its messages by paging → delete the customer. Every response is
// checked field by field against API.md §3.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, T0, type TestApp } from './helpers/app.ts';
import { CHAT_KEYS } from './helpers/expect.ts';
import { factories } from './helpers/factories.ts';

const CUSTOMER_KEYS = [
  'id', 'name', 'email', 'userId', 'company', 'phone', 'firstSeen', 'lastSeen', 'location', 'device', 'unsubscribed',
  'blocked', 'source', 'referer', 'lastPage', 'locale', 'createdFrom', 'integrationId', 'notes', 'tags', 'customData',
];
const MESSAGE_KEYS = ['id', 'agent', 'type', 'text', 'read', 'createdAt', 'updatedAt', 'edited', 'broadcastType', 'chat', 'from'];
const AGENT_KEYS = ['id', 'name', 'email', 'role', 'status', 'active', 'departments', 'capacity'];
const REF_KEYS = ['id', 'name', 'email', 'role'];
const TIMESTAMP = /^\d+$/;

let t: TestApp;
let base: string;
let key: string;
let applicationId: number;

beforeAll(async () => {
  t = await buildTestApp();
  const f = factories(t.database, t.clock);
  const org = await f.org({ name: 'Lifecycle' });
  key = org.apiKey;
  applicationId = org.applicationId;
  await f.agent(org.id, { name: 'Ann Agent', email: 'ann@lifecycle.test', role: 'admin' });
  await f.agent(org.id, { name: 'Gone Agent', email: 'gone@lifecycle.test', active: false });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterAll(() => t.close());

/** one request as an integration sends it: Bearer key, a JSON string body, whatever Content-Type fetch picks */
async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(base + path, { method, headers: { authorization: `Bearer ${key}` }, body: body === undefined ? undefined : JSON.stringify(body) });
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return { status: res.status, body: await res.json() };
}

const expectCustomer = (c: any, fields: Record<string, unknown>) => {
  expect(Object.keys(c)).toEqual(CUSTOMER_KEYS);
  expect(Object.keys(c.location)).toEqual(['regionCode', 'countryCode', 'city']);
  expect(c).toEqual({ ...c, ...fields });
};
const expectAgentRef = (a: any, agent: { id: number; name: string; email: string; role: string }) => {
  expect(Object.keys(a)).toEqual(REF_KEYS);
  expect(a).toEqual({ id: agent.id, name: agent.name, email: agent.email, role: agent.role });
};
const expectChat = (c: any, fields: Record<string, unknown>) => {
  expect(Object.keys(c)).toEqual(CHAT_KEYS);
  for (const k of ['lastCustomerMessageAt', 'closedAt', 'createdAt', 'lastMessageAt', 'snoozedUntil']) expect(c[k] === null || TIMESTAMP.test(c[k])).toBe(true);
  expect(c).toEqual({ ...c, ...fields });
};
const expectMessage = (m: any, fields: Record<string, unknown>) => {
  expect(Object.keys(m)).toEqual(MESSAGE_KEYS);
  expect(typeof m.read).toBe('boolean');
  expect(m.createdAt).toMatch(TIMESTAMP);
  expect(m.updatedAt).toMatch(TIMESTAMP);
  expect(m).toEqual({ ...m, ...fields });
};

describe('an integration’s life-cycle over HTTP', () => {
  it('runs from a new customer to their deletion, every answer as API.md §3 shapes it', async () => {
    // create customer
    const created = await call('POST', '/v1/customers', {
      name: 'Carla Client', email: 'carla@example.test', userId: 'crm-carla', customData: [{ property: 'plan', value: 'pro' }], tags: [{ name: 'lead' }],
    });
    expect(created.status).toBe(201);
    const customer = created.body;
    expectCustomer(customer, {
      name: 'Carla Client', email: 'carla@example.test', userId: 'crm-carla', company: null, phone: null, firstSeen: String(T0), lastSeen: null,
      location: { regionCode: null, countryCode: null, city: null }, device: null, unsubscribed: false, blocked: false, source: null,
      referer: null, lastPage: null, locale: null, createdFrom: 'api', integrationId: null, notes: null,
      tags: [{ name: 'lead', color: '#c377e0' }], customData: { plan: 'pro' },
    });
    const customerRef = { id: customer.id, name: 'Carla Client', email: 'carla@example.test', userId: 'crm-carla' };

    // create chat
    t.clock.set(T0 + 10);
    const chatRes = await call('POST', '/v1/chats', { customer: customer.id, application: String(applicationId) });
    expect(chatRes.status).toBe(201);
    const chatId = chatRes.body.id;
    expectChat(chatRes.body, {
      closedBy: null, lastCustomerMessageAt: null, status: 'empty', closedAt: null, rating: null, createdAt: String(T0 + 10), lastMessageAt: null,
      readByAgent: false, readByCustomer: false, createdWith: 'public_api', snoozedUntil: null, lastMessageText: null, lastMessageId: null,
      applicationId, lastCommunicatedAgentId: null, agents: [], customer: customerRef, assignee: null, department: null,
    });

    // customer message
    t.clock.set(T0 + 20);
    const hello = await call('POST', '/v1/messages', { chat: chatId, text: 'Hello, I need help' });
    expect(hello.status).toBe(200);
    expectMessage(hello.body, { agent: null, type: 'message', text: 'Hello, I need help', createdAt: String(T0 + 20), edited: false, broadcastType: null, chat: chatId, from: 'customer' });
    expectChat((await call('GET', `/v1/chats/${chatId}`)).body, {
      status: 'new', lastCustomerMessageAt: String(T0 + 20), lastMessageAt: String(T0 + 20), lastMessageText: 'Hello, I need help', lastMessageId: hello.body.id,
    });

    // list agents: pick an active one
    const agents = await call('GET', '/v1/agents');
    expect(agents.status).toBe(200);
    expect(Object.keys(agents.body)).toEqual(['data', 'meta']);
    expect(agents.body.meta).toEqual({ total: 2 });
    for (const a of agents.body.data) expect(Object.keys(a)).toEqual(AGENT_KEYS);
    const agent = agents.body.data.find((a: { active: boolean }) => a.active);
    expect(agent).toEqual({ id: agent.id, name: 'Ann Agent', email: 'ann@lifecycle.test', role: 'admin', status: 'offline', active: true, departments: [], capacity: null });

    // assign
    const assigned = await call('PUT', '/v1/chats/assignee', { id: String(chatId), assignee: agent.id });
    expect(assigned.status).toBe(200);
    expectChat(assigned.body, { status: 'new' });
    expectAgentRef(assigned.body.assignee, agent);

    // agent reply
    t.clock.set(T0 + 30);
    const reply = await call('POST', '/v1/messages', { chat: chatId, text: 'On it!', agent: agent.id, type: 'message' });
    expect(reply.status).toBe(200);
    expectMessage(reply.body, { type: 'message', text: 'On it!', createdAt: String(T0 + 30), chat: chatId, from: 'agent' });
    expectAgentRef(reply.body.agent, agent);
    const replied = (await call('GET', `/v1/chats/${chatId}`)).body;
    expectChat(replied, { status: 'opened', lastMessageAt: String(T0 + 30), lastCustomerMessageAt: String(T0 + 20), lastMessageText: 'On it!', lastMessageId: reply.body.id });
    expect(replied.agents).toHaveLength(1);
    expectAgentRef(replied.agents[0], agent);

    // close
    t.clock.set(T0 + 40);
    const closed = await call('PUT', '/v1/chats/status', { id: chatId, status: 'closed' });
    expect(closed.status).toBe(200);
    expectChat(closed.body, { status: 'closed', closedAt: String(T0 + 40), rating: null });
    expect(['agent', 'customer', null]).toContain(closed.body.closedBy);

    // rate
    const rated = await call('PUT', '/v1/chats/rate', { id: chatId, rating: 'great' });
    expect(rated.status).toBe(200);
    expectChat(rated.body, { status: 'closed', rating: 'great' });

    // search: chats by the customer's email, customers by userId
    const foundChats = await call('POST', '/v1/chats/search', { filter: [{ field: 'chats.customer.email', operator: '=', value: 'carla@example.test' }] });
    expect(foundChats.status).toBe(200);
    expect(foundChats.body.total).toBe(1);
    expect(foundChats.body.meta).toEqual({ total: 1 });
    expect(foundChats.body.data).toEqual([rated.body]);
    const foundCustomers = await call('POST', '/v1/customers/search', { filter: [{ field: 'customers.userId', operator: '=', value: 'crm-carla' }] });
    expect(foundCustomers.body).toEqual({ data: [customer], meta: { total: 1 }, total: 1 });

    // a second and third chat, so that exporting has pages to walk
    const texts = new Map<number, string[]>([[chatId, ['Hello, I need help', 'On it!']]]);
    for (let i = 0; i < 2; i++) {
      const c = (await call('POST', '/v1/chats', { customer: customer.id, application: applicationId })).body;
      const said: string[] = [];
      for (let m = 0; m <= i; m++) {
        t.clock.advance(1);
        said.push(`chat ${i} message ${m}`);
        expect((await call('POST', '/v1/messages', { chat: c.id, text: said[m] })).status).toBe(200);
      }
      texts.set(c.id, said);
    }

    // export every chat with its messages by paging (limit 2 chats, 1 message per page)
    const exported = new Map<number, string[]>();
    for (let offset = 0; ; offset += 2) {
      const page = await call('GET', `/v1/chats?limit=2&offset=${offset}`);
      expect(page.body.meta).toEqual({ total: 3 });
      if (page.body.data.length === 0) break;
      for (const chat of page.body.data) {
        expectChat(chat, { customer: customerRef });
        const newestFirst: string[] = [];
        for (let m = 0; ; m++) {
          const msgs = await call('GET', `/v1/chats/${chat.id}/messages?limit=1&offset=${m}`);
          expect(Object.keys(msgs.body)).toEqual(['data', 'total']);
          if (msgs.body.data.length === 0) break;
          expectMessage(msgs.body.data[0], { chat: chat.id });
          newestFirst.push(msgs.body.data[0].text);
        }
        exported.set(chat.id, newestFirst.reverse());
      }
    }
    expect(exported).toEqual(texts);

    // delete the customer: their chats and messages go with them
    const deleted = await fetch(`${base}/v1/customers/${customer.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${key}` } });
    expect(deleted.status).toBe(200);
    expect(await deleted.text()).toBe('"Ok"');
    expect((await call('GET', `/v1/customers/${customer.id}`)).status).toBe(404);
    expect((await call('GET', '/v1/chats')).body).toEqual({ data: [], meta: { total: 0 } });
    for (const id of texts.keys()) expect((await call('GET', `/v1/chats/${id}/messages`)).status).toBe(404);
  });
});
