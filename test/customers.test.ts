// POST /v1/customers, GET /v1/customers and /v1/customers/{id} (API.md §3 Customer, §4.1, §4.4).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, client, T0, type Client, type TestApp } from './helpers/app.ts';
import { expect400, expectError, expectExact, INVALID } from './helpers/expect.ts';
import { factories } from './helpers/factories.ts';
import { CUSTOMER_SORT_CHOICE } from './helpers/search-choices.ts';

let t: TestApp;
let api: Client;

beforeAll(async () => {
  t = await buildTestApp();
  const org = await factories(t.database, t.clock).org();
  api = client(t.app, org.apiKey);
});
afterAll(() => t.close());

describe('POST /v1/customers', () => {
  it('creates a customer with every field → 201, keys in the order of API.md §3', async () => {
    const res = await api.post('/v1/customers', {
      name: 'Ann Lee',
      email: 'ann@example.test',
      userId: 'crm-1',
      company: 'Acme',
      phone: '+380501234567',
      firstSeen: '1603864800.000',
      lastSeen: 1603868400,
      location: { regionCode: 'KV', countryCode: 'UA', city: 'Kyiv' },
      device: { id: 'd1', ip: '127.0.0.1', timezone: 'Europe/Kyiv', platform: 'web', userAgent: 'curl/8' },
      unsubscribed: true,
      blocked: false,
      source: 'widget',
      referer: 'https://example.test/',
      lastPage: 'https://example.test/pricing',
      locale: 'uk',
      createdFrom: 'api',
      integrationId: '12',
      notes: 'VIP',
      tags: [{ name: 'vip' }, { name: 'paid', color: '#00ff00' }],
      customData: [{ property: 'plan', value: 'pro' }, { property: 'seats', value: 5 }],
      ignored: 'unknown fields are ignored',
    });
    expectExact(res, 201, {
      id: res.body.id,
      name: 'Ann Lee',
      email: 'ann@example.test',
      userId: 'crm-1',
      company: 'Acme',
      phone: '+380501234567',
      firstSeen: '1603864800',
      lastSeen: '1603868400',
      location: { regionCode: 'KV', countryCode: 'UA', city: 'Kyiv' },
      device: { id: 'd1', ip: '127.0.0.1', timezone: 'Europe/Kyiv', platform: 'web', userAgent: 'curl/8' },
      unsubscribed: true,
      blocked: false,
      source: 'widget',
      referer: 'https://example.test/',
      lastPage: 'https://example.test/pricing',
      locale: 'uk',
      createdFrom: 'api',
      integrationId: '12',
      notes: 'VIP',
      tags: [{ name: 'paid', color: '#00ff00' }, { name: 'vip', color: '#c377e0' }],
      customData: { plan: 'pro', seats: 5 },
    });
  });

  it('an empty body creates an anonymous customer first seen now; customData as a map', async () => {
    const res = await api.post('/v1/customers', { customData: { plan: 'free', trial: true } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: null, email: null, userId: null, firstSeen: String(T0), lastSeen: null, device: null, tags: [], customData: { plan: 'free', trial: true } });
  });

  it('duplicate userId → 400 whose first item is invalid_userId_value', async () => {
    expect((await api.post('/v1/customers', { userId: 'dup' })).status).toBe(201);
    const res = await api.post('/v1/customers', { userId: 'dup', name: 'Second' });
    expectError(res, 400, { code: 'invalid_userId_value', message: 'userId value is already in use' });
    const rows = await t.database.db.selectFrom('customers').select('id').where('user_id', '=', 'dup').execute();
    expect(rows).toHaveLength(1);
  });

  it('the same userId in another organization is fine', async () => {
    const other = await factories(t.database, t.clock).org();
    expect((await client(t.app, other.apiKey).post('/v1/customers', { userId: 'dup' })).status).toBe(201);
  });

  it('wrong types → one 400 naming every field', async () => {
    expect400(
      await api.post('/v1/customers', { name: 5, email: 'not-an-email', unsubscribed: 'yes', firstSeen: 'yesterday', customData: 'x', tags: 'vip' }),
      { code: 'name', message: 'This value should be of type string.' },
      { code: 'email', message: 'This value is not a valid email address.' },
      { code: 'firstSeen', message: 'This value should be of type numeric.' },
      { code: 'unsubscribed', message: 'This value should be of type boolean.' },
      { code: 'tags', message: 'This value should be of type array.' },
      { code: 'customData', message: 'This value should be of type object.' },
    );
  });

  it('a JSON array body → 400 on body', async () => {
    expectError(await api.post('/v1/customers', '[]'), 400, INVALID, { code: 'body', message: 'This value should be of type object.' });
  });
});

describe('POST /v1/customers: the customer.new event', () => {
  it('writes one customer.new outbox event whose eventData is {customer: Customer}, in the same transaction', async () => {
    const res = await api.post('/v1/customers', { name: 'Evented', tags: ['x'] });
    const events = await t.database.db.selectFrom('outbox').select(['event', 'chat_id', 'event_data']).where('event_data', 'like', `%"id":${res.body.id},%`).execute();
    expect(events.map((e) => [e.event, e.chat_id])).toEqual([['customer.new', null]]);
    expect(JSON.parse(events[0].event_data)).toEqual({ customer: res.body });
  });

  it('a refused create writes no event and no customer', async () => {
    const count = async () => (await t.database.db.selectFrom('outbox').select('id').where('event', '=', 'customer.new').execute()).length;
    const before = await count();
    expect((await api.post('/v1/customers', { userId: 'dup' })).status).toBe(400);
    expect((await api.post('/v1/customers', { email: 'bad' })).status).toBe(400);
    expect(await count()).toBe(before);
  });
});

describe('GET /v1/customers/{id}', () => {
  it('answers the Customer exactly as POST did', async () => {
    const created = await api.post('/v1/customers', { name: 'Read me', customData: { a: 1 }, tags: [{ name: 'b' }, { name: 'a', color: '#123456' }] });
    expectExact(await api.get(`/v1/customers/${created.body.id}`), 200, created.body);
    expect(created.body.tags).toEqual([{ name: 'a', color: '#123456' }, { name: 'b', color: '#c377e0' }]);
  });

  it('unknown, non-numeric, or another organization’s id → the general 404 "Customer not found"', async () => {
    const other = await factories(t.database, t.clock).org();
    const foreign = await client(t.app, other.apiKey).post('/v1/customers', { name: 'Theirs' });
    for (const id of [99_999_999, 'abc', 0, foreign.body.id]) {
      expectError(await api.get(`/v1/customers/${id}`), 404, INVALID, { code: 'not_found', message: 'Customer not found' });
    }
  });
});

describe('GET /v1/customers', () => {
  let listApi: Client;
  let ids: number[] = [];
  // firstSeen and lastSeen in an order unlike creation order; one without lastSeen
  const SEEN = [
    { firstSeen: 300, lastSeen: 900 },
    { firstSeen: 100, lastSeen: null },
    { firstSeen: 200, lastSeen: 700 },
    { firstSeen: 100, lastSeen: 800 },
    { firstSeen: 500, lastSeen: 700 },
  ];
  beforeAll(async () => {
    const org = await factories(t.database, t.clock).org();
    listApi = client(t.app, org.apiKey);
    ids = [];
    for (const [i, s] of SEEN.entries()) ids.push((await listApi.post('/v1/customers', { name: `L${i}`, firstSeen: T0 - s.firstSeen, lastSeen: s.lastSeen === null ? null : T0 - s.lastSeen })).body.id);
  });
  const labels = (res: { body: { data: Array<{ id: number }> } }) => res.body.data.map((c) => ids.indexOf(c.id));

  it('answers {data, total} (no meta), oldest created first', async () => {
    const res = await listApi.get('/v1/customers');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['data', 'total']);
    expect(res.body.total).toBe(5);
    expect(labels(res)).toEqual([0, 1, 2, 3, 4]);
    expect(res.body.data[0]).toEqual((await listApi.get(`/v1/customers/${ids[0]}`)).body);
  });

  it.each([
    ['firstSeen', 'asc', [4, 0, 2, 1, 3]],
    ['customers.firstSeen', 'DESC', [3, 1, 2, 0, 4]],
    ['lastSeen', 'asc', [1, 0, 3, 2, 4]],
    ['lastSeen', 'desc', [4, 2, 3, 0, 1]],
  ])('sort=%s order=%s, ties by id, no value first ascending and last descending', async (sort, order, expected) => {
    expect(labels(await listApi.get(`/v1/customers?sort=${sort}&order=${order}`))).toEqual(expected);
  });

  it('paging walks every customer exactly once; total stays the full count', async () => {
    const seen: number[] = [];
    for (let offset = 0; offset < 10; offset += 2) {
      const page = await listApi.get(`/v1/customers?sort=lastSeen&limit=2&offset=${offset}`);
      expect(page.body.total).toBe(5);
      seen.push(...labels(page));
    }
    expect(seen).toEqual([1, 0, 3, 2, 4]);
  });

  it('bad sort, order, limit, offset → one 400 naming each', async () => {
    expect400(
      await listApi.get('/v1/customers?sort=name&order=up&limit=-1&offset=x'),
      { code: 'sort', message: CUSTOMER_SORT_CHOICE },
      { code: 'order', message: 'The value you selected is not a valid choice.' },
      { code: 'offset', message: 'This value should be of type numeric.' },
      { code: 'limit', message: 'This value should be either positive or zero.' },
    );
  });

  it("never shows another organization's customers", async () => {
    const res = await listApi.get('/v1/customers?limit=100');
    expect(res.body.data.every((c: { id: number }) => ids.includes(c.id))).toBe(true);
  });
});

describe('userId uniqueness under concurrency', () => {
  it('concurrent creates with one userId: exactly one 201, the others the duplicate-userId 400 (never a 500)', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => api.post('/v1/customers', { userId: 'race', name: `R${i}` })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 201)) {
      expectError(r, 400, { code: 'invalid_userId_value', message: 'userId value is already in use' });
    }
  });

  it('concurrent updates to one userId: exactly one succeeds', async () => {
    const ids = await Promise.all(Array.from({ length: 4 }, async () => (await api.post('/v1/customers', {})).body.id as number));
    const results = await Promise.all(ids.map((id) => api.patch(`/v1/customers/${id}`, { userId: 'race-2' })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400, 400]);
  });
});
