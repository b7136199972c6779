// A chat search names its customer's fields `chats.customer.email` (API.md §4.1), and
// HelpCrunch's examples also write `customers.email`: the catalogue holds those spellings as
// aliases of the same fields (chat-search.fields.ts), so they find exactly the same chats, and
// a refusal lists each field once, by its documented name (docs/compatibility.md, Search).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, client, type Client, type TestApp } from './helpers/app.ts';
import { expect400 } from './helpers/expect.ts';
import { factories } from './helpers/factories.ts';
import { CHAT_FIELD_CHOICE, CUSTOMER_FIELD_CHOICE } from './helpers/search-choices.ts';

let t: TestApp;
let api: Client;

beforeAll(async () => {
  t = await buildTestApp();
  const f = factories(t.database, t.clock);
  const org = await f.org();
  api = client(t.app, org.apiKey);
  const people = [
    { email: 'ann@gmail.com', userId: 'u-1', tags: [{ name: 'vip' }] },
    { email: 'bob@corp.test', userId: 'u-2', tags: [{ name: 'vip' }, { name: 'paid' }] },
    { email: 'cy@gmail.com', userId: null, tags: [] },
  ];
  for (const p of people) {
    const c = (await api.post('/v1/customers', p)).body;
    for (let k = 0; k < 2; k++) await f.chat(org.id, { applicationId: org.applicationId, customerId: c.id });
  }
});
afterAll(() => t.close());

const search = async (field: string, operator: string, value: unknown) => {
  const res = await api.post('/v1/chats/search', { filter: [{ field, operator, value }] });
  expect(res.status).toBe(200);
  return { ids: res.body.data.map((c: { id: number }) => c.id), total: res.body.total, metaTotal: res.body.meta.total };
};

describe('customers.* spellings on a chat search', () => {
  it.each([
    ['email', '~', 'gmail', 4],
    ['email', '=', 'bob@corp.test', 2],
    ['email', '!~', 'gmail', 2],
    ['userId', '=', 'u-1', 2],
    ['tagsData', '=', [{ name: 'vip' }], 4],
  ])('%s %s %j: customers.%s, chats.customers.%s and chats.customer.%s find the same chats', async (name, operator, value, count) => {
    const documented = await search(`chats.customer.${name}`, operator, value);
    expect(documented.ids).toHaveLength(count);
    expect(documented.total).toBe(count);
    expect(await search(`customers.${name}`, operator, value)).toEqual(documented);
    expect(await search(`chats.customers.${name}`, operator, value)).toEqual(documented);
    expect(await search(`customer.${name}`, operator, value)).toEqual(documented);
  });

  it('an alias takes its field\'s operators and values: refused alike', async () => {
    for (const field of ['chats.customer.email', 'customers.email']) {
      expect400(await api.post('/v1/chats/search', { filter: [{ field, operator: '>', value: 'a' }] }), {
        code: 'filter[0].operator',
        message: 'The operator ">" cannot be used with this field. Valid operators: =, !=, ~, !~',
      });
    }
  });

  it('other customers.* names are no chat field; the refusal lists each field once, by its documented name', async () => {
    expect400(await api.post('/v1/chats/search', { filter: [{ field: 'customers.name', operator: '=', value: 'x' }] }), { code: 'filter[0].field', message: CHAT_FIELD_CHOICE });
    expect(CHAT_FIELD_CHOICE).not.toContain('customers.');
  });

  it('a customer search is not affected: customer.email is no customer field', async () => {
    expect400(await api.post('/v1/customers/search', { filter: [{ field: 'customer.email', operator: '=', value: 'x' }] }), { code: 'filter[0].field', message: CUSTOMER_FIELD_CHOICE });
  });
});

describe('a refusal lists the valid choices, every problem of the request at once', () => {
  it('field, operator and sort of one search', async () => {
    const res = await api.post('/v1/chats/search', {
      filter: [{ field: 'chats.stauts', operator: '=', value: 'new' }, { field: 'chats.status', operator: 'eq', value: 'new' }],
      sort: 'chats.updatedAt',
    });
    expect400(
      res,
      { code: 'filter[0].field', message: CHAT_FIELD_CHOICE },
      { code: 'filter[1].operator', message: 'The value you selected is not a valid choice. Valid operators: =, !=' },
      { code: 'sort', message: 'The value you selected is not a valid choice. Valid sort fields: chats.createdAt, chats.lastCustomerMessageAt, chats.lastMessageAt, chats.closedAt' },
    );
  });
});
