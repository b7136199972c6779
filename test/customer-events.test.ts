// POST /v1/events and [ext] GET /v1/customers/{id}/events (API.md §4.4, §5).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, client, T0, type Client, type TestApp } from './helpers/app.ts';
import { expect400, expectError, expectExact, INVALID } from './helpers/expect.ts';
import { factories } from './helpers/factories.ts';

let t: TestApp;
let f: ReturnType<typeof factories>;
let api: Client;
let customer: { id: number; name: string; email: string; userId: string };

beforeAll(async () => {
  t = await buildTestApp();
  f = factories(t.database, t.clock);
  const org = await f.org();
  api = client(t.app, org.apiKey);
  customer = (await api.post('/v1/customers', { name: 'Ann', email: 'ann@example.test', userId: 'crm-1' })).body;
});
afterAll(() => t.close());

describe('POST /v1/events', () => {
  it('records an event → 200 {id, name, data, createdAt, customer}; customer is the id, an integer (as HelpCrunch answers), also when sent as a digit string', async () => {
    t.clock.set(T0 + 7);
    const outboxBefore = (await t.database.db.selectFrom('outbox').select('id').execute()).length;
    const res = await api.post('/v1/events', { name: 'plan_upgraded', data: { plan: 'pro', seats: 5, nested: { ok: true } }, customer: String(customer.id), extra: 'ignored' });
    expectExact(res, 200, { id: res.body.id, name: 'plan_upgraded', data: { plan: 'pro', seats: 5, nested: { ok: true } }, createdAt: String(T0 + 7), customer: customer.id });
    expect(Number.isInteger(res.body.id)).toBe(true);
    // an activity event is no webhook event: nothing is written to the outbox
    expect((await t.database.db.selectFrom('outbox').select('id').execute()).length).toBe(outboxBefore);
  });

  it('data may be an array, or absent / null (→ null)', async () => {
    expect((await api.post('/v1/events', { name: 'a', data: [{ name: 'k', value: 'v' }], customer: customer.id })).body.data).toEqual([{ name: 'k', value: 'v' }]);
    expect((await api.post('/v1/events', { name: 'b', customer: customer.id })).body.data).toBeNull();
    expect((await api.post('/v1/events', { name: 'c', data: null, customer: customer.id })).body.data).toBeNull();
  });

  it('missing or wrong fields → one 400 naming each', async () => {
    expect400(await api.post('/v1/events', {}), { code: 'name', message: 'This value should not be blank.' }, { code: 'customer', message: 'This value should not be blank.' });
    expect400(
      await api.post('/v1/events', { name: 5, data: 'text', customer: 'abc' }),
      { code: 'name', message: 'This value should be of type string.' },
      { code: 'data', message: 'This value should be of type object or array.' },
      { code: 'customer', message: 'This value should be of type numeric.' },
    );
    expect400(await api.post('/v1/events', { name: 'x'.repeat(256), customer: 0 }), { code: 'name', message: 'This value is too long. It should have 255 characters or less.' }, { code: 'customer', message: 'This value should be positive.' });
  });

  it('an unknown or another organization’s customer → 400 naming customer, exactly alike; nothing recorded', async () => {
    const other = await f.world();
    const count = async () => (await t.database.db.selectFrom('customer_events').select('id').execute()).length;
    const before = await count();
    const foreign = await api.post('/v1/events', { name: 'x', customer: other.chat.customer.id });
    const missing = await api.post('/v1/events', { name: 'x', customer: 99_999_999 });
    expect400(missing, { code: 'customer', message: 'Customer for ID "99999999" was not found' });
    expect(foreign.text.replaceAll(String(other.chat.customer.id), 'ID')).toBe(missing.text.replaceAll('99999999', 'ID'));
    expect(await count()).toBe(before);
  });
});

describe('GET /v1/customers/{id}/events [ext]', () => {
  it('lists the customer’s events newest first (ties by id, newest first) as {data, total}; paging', async () => {
    const c = (await api.post('/v1/customers', { name: 'Lister' })).body;
    const made: number[] = [];
    for (const [i, at] of [T0 + 1, T0 + 3, T0 + 3, T0 + 2].entries()) {
      t.clock.set(at);
      made.push((await api.post('/v1/events', { name: `e${i}`, data: { i }, customer: c.id })).body.id);
    }
    const res = await api.get(`/v1/customers/${c.id}/events`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['data', 'total']);
    expect(res.body.total).toBe(4);
    expect(res.body.data.map((e: { id: number }) => e.id)).toEqual([made[2], made[1], made[3], made[0]]);
    expect(res.body.data[0]).toEqual({ id: made[2], name: 'e2', data: { i: 2 }, createdAt: String(T0 + 3), customer: c.id });
    const page = await api.get(`/v1/customers/${c.id}/events?offset=1&limit=2`);
    expect(page.body.data.map((e: { id: number }) => e.id)).toEqual([made[1], made[3]]);
    expect(page.body.total).toBe(4);
  });

  it('a customer without events → empty list; bad paging → 400', async () => {
    const c = (await api.post('/v1/customers', {})).body;
    expectExact(await api.get(`/v1/customers/${c.id}/events`), 200, { data: [], total: 0 });
    expect400(await api.get(`/v1/customers/${c.id}/events?limit=-5`), { code: 'limit', message: 'This value should be either positive or zero.' });
  });

  it('unknown, non-numeric or another organization’s customer → the general 404', async () => {
    const other = await f.world();
    await client(t.app, other.org.apiKey).post('/v1/events', { name: 'theirs', customer: other.chat.customer.id });
    for (const id of [other.chat.customer.id, 99_999_999, 'x']) {
      expectError(await api.get(`/v1/customers/${id}/events`), 404, INVALID, { code: 'not_found', message: 'Customer not found' });
    }
  });
});
