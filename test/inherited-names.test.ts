// Inherited names (issue 12 item 3): a value the client sends is looked up in an enum, alias
// or catalogue table, and Object.prototype's names — `constructor`, `__proto__`, `toString`…
// — are not in any of them. Each is refused like any other unknown value (API.md §5: 400 on
// that field), on every field that takes a name, and nothing is stored or announced. Keys the
// client chooses (customData) are data: kept as sent, never a way into a prototype.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookup, type Lookup } from '../src/lib/lookup.ts';
import { buildTestApp, client, type Client, type TestApp } from './helpers/app.ts';
import { expect400 } from './helpers/expect.ts';
import { factories } from './helpers/factories.ts';
import {
  ALL_OPERATORS, CHAT_FIELD_CHOICE, CHAT_SORT_CHOICE, CUSTOMER_FIELD_CHOICE, CUSTOMER_SORT_CHOICE, ENUM_OPERATORS, operatorChoice, STRING_OPERATORS,
} from './helpers/search-choices.ts';

/** every name a plain object inherits: constructor, __proto__, toString, valueOf, hasOwnProperty… */
const INHERITED = Object.getOwnPropertyNames(Object.prototype);
const PROTOTYPE_BEFORE = [...INHERITED];

const CHOICE = 'The value you selected is not a valid choice.';
const EVENTS_INVALID = 'One or more of the given values is invalid.'; // webhooks.schema.ts: Choice(multiple)
const URL_A = 'http://127.0.0.1:9/a'; // never contacted: no worker runs in this file

let t: TestApp;
let api: Client;
let apiKey: string;
let orgId: number;
let agentId: number;
/** a chat any status may be set on */
let openChat: number;
let departmentId: number;
/** closed, unrated, with an agent's message: a valid rating would be stored */
let rateableChat: number;

beforeAll(async () => {
  t = await buildTestApp({ config: { webhookAllowPrivate: true } });
  const f = factories(t.database, t.clock);
  const w = await f.world();
  orgId = w.org.id;
  agentId = w.agents[0].id;
  apiKey = w.org.apiKey;
  api = client(t.app, apiKey);
  openChat = w.chat.id;
  departmentId = (await f.department(orgId)).id;
  rateableChat = (await f.chat(orgId, { applicationId: w.org.applicationId })).id;
  expect((await api.post('/v1/messages', { chat: rateableChat, text: 'hello', agent: agentId })).status).toBe(200);
  expect((await api.put('/v1/chats/status', { id: rateableChat, status: 'closed' })).status).toBe(200);
});
afterAll(() => t.close());

it('the names tried include the ones of the issue', () => {
  expect(INHERITED).toEqual(expect.arrayContaining(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']));
});

describe('lookup(): the tables those fields are read from', () => {
  it('find only the names written in them, and stay as written', () => {
    const aliases = lookup({ open: 'opened' });
    for (const name of INHERITED) expect(aliases[name]).toBeUndefined();
    expect(aliases.open).toBe('opened');
    expect(Object.isFrozen(aliases)).toBe(true);
    // @ts-expect-error a plain object inherits Object.prototype's names: it is no Lookup
    const plain: Lookup<string> = { open: 'opened' };
    expect(plain.constructor).toBe(Object);
  });
});

/** a request whose JSON text is sent exactly as written (the client helper would re-serialize it) */
const rawJson = (method: 'PUT' | 'POST', url: string, payload: string) =>
  t.app.inject({ method, url, payload, headers: { authorization: `Bearer ${apiKey}` } });

/** what a refused write must leave as it was: the chats, their messages, the webhooks, the outbox, agents, routing */
async function everything() {
  const db = t.database.db;
  const rows = (table: 'chats' | 'messages' | 'webhooks' | 'outbox' | 'agents' | 'routing_jobs') =>
    db.selectFrom(table).selectAll().where('organization_id', '=', orgId).orderBy('id').execute();
  const policies = await db.selectFrom('routing_policies').selectAll().where('organization_id', '=', orgId).orderBy('department_id').execute();
  return {
    chats: await rows('chats'),
    messages: await rows('messages'),
    webhooks: await rows('webhooks'),
    outbox: await rows('outbox'),
    agents: await rows('agents'),
    routingJobs: await rows('routing_jobs'),
    policies,
  };
}

describe('enum-valued body fields: each inherited name → 400 on that field, nothing stored, no event', () => {
  const cases = INHERITED.flatMap((name) => [
    { label: `PUT /v1/chats/status status=${name}`, method: 'put', url: '/v1/chats/status', body: () => ({ id: openChat, status: name }), code: 'status', message: CHOICE },
    { label: `PUT /v1/chats/rate rating=${name}`, method: 'put', url: '/v1/chats/rate', body: () => ({ id: rateableChat, rating: name }), code: 'rating', message: CHOICE },
    { label: `POST /v1/messages type=${name}`, method: 'post', url: '/v1/messages', body: () => ({ chat: openChat, text: 'hi', type: name, agent: agentId }), code: 'type', message: CHOICE },
    { label: `POST /v1/webhooks events=[${name}]`, method: 'post', url: '/v1/webhooks', body: () => ({ url: URL_A, events: [name] }), code: 'events', message: EVENTS_INVALID },
    { label: `POST /v1/webhooks events=[chat.new, ${name}]`, method: 'post', url: '/v1/webhooks', body: () => ({ url: URL_A, events: ['chat.new', name] }), code: 'events', message: EVENTS_INVALID },
    { label: `PUT /v1/agents/{id}/status status=${name}`, method: 'put', url: () => `/v1/agents/${agentId}/status`, body: () => ({ status: name }), code: 'status', message: CHOICE },
    { label: `PUT /v1/organization/routing strategy=${name}`, method: 'put', url: '/v1/organization/routing', body: () => ({ strategy: name }), code: 'strategy', message: CHOICE },
    {
      label: `PUT /v1/departments/{id}/routing strategy=${name}`,
      method: 'put',
      url: () => `/v1/departments/${departmentId}/routing`,
      body: () => ({ strategy: name }),
      code: 'strategy',
      message: CHOICE,
    },
  ] as const);

  for (const { label, method, url, body, code, message } of cases) {
    it(label, async () => {
      const before = await everything();
      expect400(await api[method](typeof url === 'function' ? url() : url, body()), { code, message });
      expect(await everything()).toEqual(before);
    });
  }

  it('the same requests with a real value do change things (the cases above can fail)', async () => {
    const before = await everything();
    expect((await api.put('/v1/chats/rate', { id: rateableChat, rating: 'great' })).status).toBe(200);
    expect((await api.put('/v1/chats/status', { id: openChat, status: 'open' })).status).toBe(200);
    expect(await everything()).not.toEqual(before);
  });

  it('a real presence and strategy do change things (the routing cases above can fail)', async () => {
    let before = await everything();
    expect((await api.put(`/v1/agents/${agentId}/status`, { status: 'away' })).status).toBe(200);
    expect((await everything()).agents).not.toEqual(before.agents);
    before = await everything();
    expect((await api.put('/v1/organization/routing', { strategy: 'least_busy' })).status).toBe(200);
    expect((await everything()).policies).not.toEqual(before.policies);
    before = await everything();
    expect((await api.put(`/v1/departments/${departmentId}/routing`, { strategy: 'round_robin' })).status).toBe(200);
    expect((await everything()).policies).not.toEqual(before.policies);
  });
});

/** field names of search bodies and list queries, for both searchable entities */
function searchCases(entity: 'chats' | 'customers', field: string, operator: string, value: unknown) {
  const search = `POST /v1/${entity}/search`;
  // an unknown name is refused with the list of the valid ones (issue 16)
  const [fields, sorts, operators] =
    entity === 'chats' ? [CHAT_FIELD_CHOICE, CHAT_SORT_CHOICE, operatorChoice(ENUM_OPERATORS)] : [CUSTOMER_FIELD_CHOICE, CUSTOMER_SORT_CHOICE, operatorChoice(STRING_OPERATORS)];
  return INHERITED.flatMap((name) => [
    { label: `${search} comparison=${name}`, body: { comparison: name }, items: [{ code: 'comparison', message: CHOICE }] },
    { label: `${search} order=${name}`, body: { order: name }, items: [{ code: 'order', message: CHOICE }] },
    { label: `${search} sort=${name}`, body: { sort: name }, items: [{ code: 'sort', message: sorts }] },
    { label: `${search} sort=${entity}.${name}`, body: { sort: `${entity}.${name}` }, items: [{ code: 'sort', message: sorts }] },
    { label: `${search} field=${name}`, body: { filter: [{ field: name, operator, value }] }, items: [{ code: 'filter[0].field', message: fields }] },
    { label: `${search} field=${entity}.${name}`, body: { filter: [{ field: `${entity}.${name}`, operator, value }] }, items: [{ code: 'filter[0].field', message: fields }] },
    { label: `${search} operator=${name}`, body: { filter: [{ field, operator: name, value }] }, items: [{ code: 'filter[0].operator', message: operators }] },
    {
      label: `${search} field, operator and value=${name}`,
      body: { filter: [{ field: name, operator: name, value: name }] },
      items: [{ code: 'filter[0].field', message: fields }, { code: 'filter[0].operator', message: operatorChoice(ALL_OPERATORS) }],
    },
  ]);
}

describe('POST /v1/chats/search: each inherited name as comparison, order, sort, field, operator → 400 naming it', () => {
  const enumValues = INHERITED.flatMap((name) =>
    ['chats.status', 'status', 'chats.rating', 'rating'].flatMap((field) =>
      ['=', '!='].map((operator) => ({
        label: `POST /v1/chats/search ${field} ${operator} ${name}`,
        body: { filter: [{ field, operator, value: name }] },
        items: [{ code: 'filter[0].value', message: CHOICE }],
      })),
    ),
  );
  for (const { label, body, items } of [...searchCases('chats', 'chats.status', '=', 'new'), ...enumValues]) {
    it(label, async () => expect400(await api.post('/v1/chats/search', body), ...items));
  }

  it('a real status and its alias still match (the value cases above can fail)', async () => {
    for (const value of ['opened', 'open']) {
      const res = await api.post('/v1/chats/search', { filter: [{ field: 'chats.status', operator: '=', value }] });
      expect(res.body.data.map((c: { id: number }) => c.id)).toEqual([openChat]);
    }
  });
});

describe('POST /v1/customers/search: each inherited name as comparison, order, sort, field, operator → 400 naming it', () => {
  for (const { label, body, items } of searchCases('customers', 'customers.email', '=', 'a@b.test')) {
    it(label, async () => expect400(await api.post('/v1/customers/search', body), ...items));
  }
});

describe('GET lists: each inherited name as sort or order → 400 naming it', () => {
  const cases = (['chats', 'customers'] as const).flatMap((entity) =>
    INHERITED.flatMap((name) => [
      { url: `/v1/${entity}?sort=${encodeURIComponent(name)}`, code: 'sort', message: entity === 'chats' ? CHAT_SORT_CHOICE : CUSTOMER_SORT_CHOICE },
      { url: `/v1/${entity}?sort=${entity}.${encodeURIComponent(name)}`, code: 'sort', message: entity === 'chats' ? CHAT_SORT_CHOICE : CUSTOMER_SORT_CHOICE },
      { url: `/v1/${entity}?order=${encodeURIComponent(name)}`, code: 'order', message: CHOICE },
    ]),
  );
  for (const { url, code, message } of cases) {
    it(`GET ${url}`, async () => expect400(await api.get(url), { code, message }));
  }
});

describe('keys chosen by the client', () => {
  it('__proto__ and constructor.prototype keys of a body are dropped, never read as fields', async () => {
    const before = await everything();
    for (const payload of [
      `{"id": ${openChat}, "__proto__": {"status": "closed"}}`,
      `{"id": ${openChat}, "constructor": {"prototype": {"status": "closed"}}}`,
    ]) {
      const res = await rawJson('PUT', '/v1/chats/status', payload);
      expect({ status: res.statusCode, body: JSON.parse(res.body) }).toEqual({
        status: 400,
        body: { errors: [{ code: 'invalid_request', message: 'Invalid request' }, { code: 'status', message: 'This value should not be blank.' }] },
      });
    }
    const search = await api.post('/v1/chats/search', JSON.parse('{"filter": [{"__proto__": {"field": "chats.status"}, "operator": "=", "value": "new"}]}'));
    expect400(search, { code: 'filter[0].field', message: 'This value should not be blank.' });
    expect(await everything()).toEqual(before);
  });

  it('customData properties named like inherited names are kept as data, in both forms, and merge', async () => {
    const asList = INHERITED.map((name, i) => ({ property: name, value: i }));
    const created = await api.post('/v1/customers', { customData: asList });
    expect(created.status).toBe(201);
    const expected = Object.fromEntries(INHERITED.map((name, i) => [name, i]));
    // JSON text, not toEqual: `__proto__` must be an own key of the answer, not a prototype
    expect(JSON.stringify(created.body.customData)).toBe(JSON.stringify(expected));
    const read = await api.get(`/v1/customers/${created.body.id}`);
    expect(JSON.stringify(read.body.customData)).toBe(JSON.stringify(expected));

    // the map form: Fastify's JSON parser drops a `__proto__` key (http/body.ts); the others are data
    const changed = await api.put(`/v1/customers/${created.body.id}`, { customData: { constructor: 'c', toString: 't', plan: 'pro' } });
    expect(changed.status).toBe(200);
    expect(JSON.stringify(changed.body.customData)).toBe(JSON.stringify({ ...expected, constructor: 'c', toString: 't', plan: 'pro' }));

    const dropped = await rawJson('POST', '/v1/customers', '{"customData": {"__proto__": {"polluted": 1}, "plan": "free"}}');
    expect(dropped.statusCode).toBe(201);
    expect(JSON.parse(dropped.body).customData).toEqual({ plan: 'free' });
  });

  it('a customData value of null under __proto__ is kept too, not made the prototype', async () => {
    const res = await api.post('/v1/customers', { customData: [{ property: '__proto__', value: null }, { property: 'plan', value: 'pro' }] });
    expect(res.status).toBe(201);
    expect(res.text).toContain('"customData":{"__proto__":null,"plan":"pro"}');
  });

  it('no request of this file reached Object.prototype', () => {
    expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(PROTOTYPE_BEFORE);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).status).toBeUndefined();
  });
});
