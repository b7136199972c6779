// PUT / PATCH /v1/customers/{id}, PUT /v1/customers/batch, PUT / DELETE /v1/customers/{id}/tags
// and their customer.* outbox events (API.md §4.4, §4.5, §5).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, client, T0, type Client, type TestApp } from './helpers/app.ts';
import { expect400, expectError, expectExact, INVALID } from './helpers/expect.ts';
import { factories } from './helpers/factories.ts';

let t: TestApp;
let f: ReturnType<typeof factories>;
let api: Client;
let orgId: number;

beforeAll(async () => {
  t = await buildTestApp();
  f = factories(t.database, t.clock);
  const org = await f.org();
  orgId = org.id;
  api = client(t.app, org.apiKey);
});
afterAll(() => t.close());

const FULL = {
  name: 'Ann Lee',
  email: 'ann@example.test',
  userId: 'crm-ann',
  company: 'Acme',
  phone: '+1 555 0100',
  firstSeen: T0 - 100,
  lastSeen: T0 - 10,
  location: { regionCode: 'CA', countryCode: 'US', city: 'Fresno' },
  device: { id: 'd1', ip: '10.0.0.1', timezone: 'America/Los_Angeles', platform: 'web', userAgent: 'UA/1' },
  unsubscribed: true,
  blocked: true,
  source: 'widget',
  referer: 'https://ref.test/',
  lastPage: 'https://acme.test/pricing',
  locale: 'en',
  createdFrom: 'api',
  integrationId: 7,
  notes: 'note',
  tags: [{ name: 'vip', color: '#111111' }, { name: 'paid' }],
  customData: { plan: 'pro', seats: 5 },
};
let seq = 0;
const fresh = async (fields: Record<string, unknown> = FULL) =>
  (await api.post('/v1/customers', { ...fields, userId: fields.userId ? `${fields.userId}-${++seq}` : undefined })).body;

/** customer.* events written since `since` (an outbox id), oldest first */
const eventsSince = async (since: number) =>
  (await t.database.db.selectFrom('outbox').select(['id', 'event', 'event_data', 'chat_id']).where('organization_id', '=', orgId).where('id', '>', since).orderBy('id').execute()).map((e) => ({
    event: e.event,
    chatId: e.chat_id,
    data: JSON.parse(e.event_data),
  }));
const lastEventId = async () =>
  Number((await t.database.db.selectFrom('outbox').select((eb) => eb.fn.max('id').as('m')).executeTakeFirstOrThrow()).m ?? 0);

describe.each(['PUT', 'PATCH'] as const)('%s /v1/customers/{id}: a partial update (API.md §4.4)', (method) => {
  const send = (id: number | string, body: unknown) => (method === 'PUT' ? api.put(`/v1/customers/${id}`, body) : api.patch(`/v1/customers/${id}`, body));

  it('sets the fields present; omitted fields stay as they are', async () => {
    const before = await fresh();
    const res = await send(before.id, { name: 'Ann Smith', company: 'Globex', lastSeen: '1700000050.9' });
    expectExact(res, 200, { ...before, name: 'Ann Smith', company: 'Globex', lastSeen: String(T0 + 50) });
    expectExact(await api.get(`/v1/customers/${before.id}`), 200, res.body);
  });

  it('an empty body changes nothing and writes no event', async () => {
    const before = await fresh();
    const since = await lastEventId();
    expectExact(await send(before.id, {}), 200, before);
    expect(await eventsSince(since)).toEqual([]);
  });

  it('null (or "") clears each field; booleans clear to false; customData and tags clear to empty', async () => {
    const before = await fresh();
    const cleared = Object.fromEntries(Object.keys(FULL).map((k) => [k, null]));
    const res = await send(before.id, { ...cleared, company: '' });
    expectExact(res, 200, {
      ...before,
      name: null, email: null, userId: null, company: null, phone: null, firstSeen: null, lastSeen: null,
      location: { regionCode: null, countryCode: null, city: null }, device: null, unsubscribed: false, blocked: false,
      source: null, referer: null, lastPage: null, locale: null, createdFrom: null, integrationId: null, notes: null,
      tags: [], customData: {},
    });
  });

  it('location, device and customData merge key by key; customData takes both input forms', async () => {
    const before = await fresh();
    const res = await send(before.id, {
      location: { city: 'Kyiv', regionCode: null },
      device: { platform: 'ios' },
      customData: [{ property: 'seats', value: 6 }, { property: 'trial', value: false }],
    });
    expect(res.status).toBe(200);
    expect(res.body.location).toEqual({ regionCode: null, countryCode: 'US', city: 'Kyiv' });
    expect(res.body.device).toEqual({ ...FULL.device, platform: 'ios' });
    expect(res.body.customData).toEqual({ plan: 'pro', seats: 6, trial: false });
    const map = await send(before.id, { customData: { plan: 'free' } });
    expect(map.body.customData).toEqual({ plan: 'free', seats: 6, trial: false });
  });

  it('tags replace the customer’s tags; a kept tag keeps its colour', async () => {
    const before = await fresh();
    const res = await send(before.id, { tags: [{ name: 'vip' }, { name: 'new' }] });
    expect(res.body.tags).toEqual([{ name: 'new', color: '#c377e0' }, { name: 'vip', color: '#111111' }]);
  });

  it('a userId another customer has → the duplicate-userId 400; its own userId is fine', async () => {
    const a = await fresh();
    const b = await fresh();
    expectError(await send(b.id, { userId: a.userId, name: 'changed?' }), 400, { code: 'invalid_userId_value', message: 'userId value is already in use' });
    expectExact(await api.get(`/v1/customers/${b.id}`), 200, b);
    expect((await send(b.id, { userId: b.userId })).status).toBe(200);
  });

  it('wrong shapes → one 400 naming every field; nothing changes', async () => {
    const before = await fresh();
    expect400(
      await send(before.id, { name: 1, email: 'nope', blocked: 'yes', firstSeen: -1, integrationId: 'x', tags: {}, customData: 5 }),
      { code: 'name', message: 'This value should be of type string.' },
      { code: 'email', message: 'This value is not a valid email address.' },
      { code: 'firstSeen', message: 'This value should be either positive or zero.' },
      { code: 'blocked', message: 'This value should be of type boolean.' },
      { code: 'integrationId', message: 'This value should be of type numeric.' },
      { code: 'tags', message: 'This value should be of type array.' },
      { code: 'customData', message: 'This value should be of type object.' },
    );
    expectExact(await api.get(`/v1/customers/${before.id}`), 200, before);
  });

  it('unknown, non-numeric or another organization’s customer → the general 404; the other customer is untouched', async () => {
    const other = await f.org();
    const theirs = (await client(t.app, other.apiKey).post('/v1/customers', { name: 'Theirs' })).body;
    for (const id of [99_999_999, 'abc', theirs.id]) {
      expectError(await send(id, { name: 'Mine now' }), 404, INVALID, { code: 'not_found', message: 'Customer not found' });
    }
    expectExact(await client(t.app, other.apiKey).get(`/v1/customers/${theirs.id}`), 200, theirs);
  });
});

describe('customer.* outbox events (API.md §4.5)', () => {
  it('each change writes its events with eventData {customer: Customer after the change}', async () => {
    const c = await fresh({ name: 'Evie', email: 'evie@example.test' });
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ email: 'evie@new.test' }, ['customer.email_updated']],
      [{ email: 'evie@new.test', name: 'Same email' }, []],
      [{ email: null }, ['customer.email_updated']],
      [{ unsubscribed: true }, ['customer.unsubscribed']],
      [{ unsubscribed: true }, []],
      [{ unsubscribed: false }, ['customer.subscribed']],
      [{ blocked: true }, ['customer.blocked']],
      [{ blocked: null }, ['customer.unblocked']],
      [{ tags: [{ name: 't1' }] }, ['customer.tags_changed']],
      [{ tags: [{ name: 't1' }] }, []],
      [{ tags: [{ name: 't1', color: '#000000' }] }, ['customer.tags_changed']],
      [{ email: 'e@x.test', tags: null, unsubscribed: true, blocked: true }, ['customer.email_updated', 'customer.tags_changed', 'customer.unsubscribed', 'customer.blocked']],
    ];
    for (const [body, expected] of cases) {
      const since = await lastEventId();
      const res = await api.patch(`/v1/customers/${c.id}`, body);
      expect(res.status).toBe(200);
      const events = await eventsSince(since);
      expect({ body, events: events.map((e) => e.event) }).toEqual({ body, events: expected });
      for (const e of events) expect(e).toEqual({ event: e.event, chatId: null, data: { customer: res.body } });
    }
  });
});

describe('PUT /v1/customers/batch (API.md §4.4: 1..10 items, all or nothing)', () => {
  it('updates every item and answers {data: [Customer]} in request order', async () => {
    const [a, b] = [await fresh(), await fresh()];
    const res = await api.put('/v1/customers/batch', [
      { customer: b.id, name: 'B2' },
      { customer: String(a.id), email: 'a2@example.test', tags: null },
    ]);
    expectExact(res, 200, { data: [{ ...b, name: 'B2' }, { ...a, email: 'a2@example.test', tags: [] }] });
    expectExact(await api.get(`/v1/customers/${a.id}`), 200, res.body.data[1]);
  });

  it('the same customer twice: each answer is the customer after its own item', async () => {
    const a = await fresh();
    const res = await api.put('/v1/customers/batch', [{ customer: a.id, name: 'one' }, { customer: a.id, company: 'two' }]);
    expect(res.body.data.map((c: { name: string; company: string }) => [c.name, c.company])).toEqual([['one', 'Acme'], ['one', 'two']]);
  });

  it('10 items are fine; 0 or 11, or a body that is not an array → 400 on body', async () => {
    const a = await fresh();
    expect((await api.put('/v1/customers/batch', Array.from({ length: 10 }, (_, i) => ({ customer: a.id, notes: `n${i}` })))).body.data).toHaveLength(10);
    expect400(await api.put('/v1/customers/batch', Array.from({ length: 11 }, () => ({ customer: a.id }))), { code: 'body', message: 'This collection should contain 10 elements or less.' });
    expect400(await api.put('/v1/customers/batch', []), { code: 'body', message: 'This collection should contain 1 element or more.' });
    expect400(await api.put('/v1/customers/batch', { customer: a.id }), { code: 'body', message: 'This value should be of type array.' });
  });

  it('per-item shape errors name the item; nothing of the batch is written', async () => {
    const a = await fresh();
    const since = await lastEventId();
    expect400(
      await api.put('/v1/customers/batch', [{ customer: a.id, name: 'ok' }, 'x', { name: 'no id', email: 'bad' }, { customer: -1, blocked: 1 }]),
      { code: '[1]', message: 'This value should be of type object.' },
      { code: '[2].customer', message: 'This value should not be blank.' },
      { code: '[2].email', message: 'This value is not a valid email address.' },
      { code: '[3].customer', message: 'This value should be positive.' },
      { code: '[3].blocked', message: 'This value should be of type boolean.' },
    );
    expectExact(await api.get(`/v1/customers/${a.id}`), 200, a);
    expect(await eventsSince(since)).toEqual([]);
  });

  it('unknown or another organization’s customer → 400 naming every such item; nothing written', async () => {
    const a = await fresh();
    const other = await f.org();
    const theirs = (await client(t.app, other.apiKey).post('/v1/customers', { name: 'Theirs' })).body;
    expect400(
      await api.put('/v1/customers/batch', [{ customer: a.id, name: 'x' }, { customer: 99_999_999, name: 'x' }, { customer: theirs.id, name: 'x' }]),
      { code: '[1].customer', message: 'Customer for ID "99999999" was not found' },
      { code: '[2].customer', message: `Customer for ID "${theirs.id}" was not found` },
    );
    expectExact(await api.get(`/v1/customers/${a.id}`), 200, a);
    expectExact(await client(t.app, other.apiKey).get(`/v1/customers/${theirs.id}`), 200, theirs);
  });

  it('a failure at a later item rolls back the earlier ones (duplicate userId, found while applying)', async () => {
    const [a, b] = [await fresh(), await fresh()];
    const since = await lastEventId();
    expectError(
      await api.put('/v1/customers/batch', [{ customer: a.id, name: 'rolled back', email: 'gone@example.test' }, { customer: b.id, userId: a.userId }]),
      400,
      { code: 'invalid_userId_value', message: 'userId value is already in use' },
      { code: '[1].userId', message: 'userId value is already in use' },
    );
    expectExact(await api.get(`/v1/customers/${a.id}`), 200, a);
    expectExact(await api.get(`/v1/customers/${b.id}`), 200, b);
    expect(await eventsSince(since)).toEqual([]);
  });
});

describe('PUT / DELETE /v1/customers/{id}/tags', () => {
  let c: { id: number };
  beforeEach(async () => {
    c = await fresh({ name: 'Tagged', tags: [{ name: 'vip', color: '#111111' }] });
  });
  const tagEvents = async (since: number) => (await eventsSince(since)).map((e) => e.event);

  it('PUT adds (default colour #c377e0), keeps the others, answers the whole Customer', async () => {
    const res = await api.put(`/v1/customers/${c.id}/tags`, { tags: [{ name: 'paid' }, { name: 'beta', color: '#abcdef' }] });
    expectExact(res, 200, { ...(await api.get(`/v1/customers/${c.id}`)).body });
    expect(res.body.tags).toEqual([{ name: 'beta', color: '#abcdef' }, { name: 'paid', color: '#c377e0' }, { name: 'vip', color: '#111111' }]);
  });

  it('PUT is idempotent: the same tags again change nothing and write no event; a tag without colour keeps its colour', async () => {
    let since = await lastEventId();
    const first = await api.put(`/v1/customers/${c.id}/tags`, { tags: [{ name: 'paid' }] });
    expect(await tagEvents(since)).toEqual(['customer.tags_changed']);
    since = await lastEventId();
    expectExact(await api.put(`/v1/customers/${c.id}/tags`, { tags: [{ name: 'paid' }, { name: 'vip' }] }), 200, first.body);
    expect(await tagEvents(since)).toEqual([]);
    const recolour = await api.put(`/v1/customers/${c.id}/tags`, { tags: [{ name: 'vip', color: '#222222' }] });
    expect(recolour.body.tags).toContainEqual({ name: 'vip', color: '#222222' });
    expect(await tagEvents(since)).toEqual(['customer.tags_changed']);
  });

  it('DELETE removes by name (colour ignored); removing an absent tag is a no-op without event', async () => {
    await api.put(`/v1/customers/${c.id}/tags`, { tags: ['paid'] });
    let since = await lastEventId();
    const res = await api.delete(`/v1/customers/${c.id}/tags`, { tags: [{ name: 'vip', color: '#000000' }] });
    expect(res.status).toBe(200);
    expect(res.body.tags).toEqual([{ name: 'paid', color: '#c377e0' }]);
    expect(await tagEvents(since)).toEqual(['customer.tags_changed']);
    since = await lastEventId();
    expectExact(await api.delete(`/v1/customers/${c.id}/tags`, { tags: [{ name: 'vip' }, { name: 'never' }] }), 200, res.body);
    expect(await tagEvents(since)).toEqual([]);
  });

  it.each(['PUT', 'DELETE'] as const)('%s: absent, null, empty or malformed tags → 400 on tags', async (method) => {
    const send = (body: unknown) => (method === 'PUT' ? api.put(`/v1/customers/${c.id}/tags`, body) : api.delete(`/v1/customers/${c.id}/tags`, body));
    for (const body of [{}, { tags: null }, { tags: [] }, undefined]) expect400(await send(body), { code: 'tags', message: 'This value should not be blank.' });
    expect400(await send({ tags: [{ color: '#fff' }] }), { code: 'tags', message: 'Each tag should be {"name": string, "color"?: string}.' });
    expect400(await send({ tags: [{ name: 'x', color: 'red' }] }), { code: 'tags', message: 'A tag color should be a hex colour such as #c377e0.' });
  });

  it.each(['PUT', 'DELETE'] as const)('%s: another organization’s customer → the general 404, its tags untouched', async (method) => {
    const other = await f.org();
    const theirs = (await client(t.app, other.apiKey).post('/v1/customers', { tags: ['keep'] })).body;
    const send = (id: number) => (method === 'PUT' ? api.put(`/v1/customers/${id}/tags`, { tags: ['keep', 'x'] }) : api.delete(`/v1/customers/${id}/tags`, { tags: ['keep'] }));
    for (const id of [theirs.id, 99_999_999]) expectError(await send(id), 404, INVALID, { code: 'not_found', message: 'Customer not found' });
    expect((await client(t.app, other.apiKey).get(`/v1/customers/${theirs.id}`)).body.tags).toEqual([{ name: 'keep', color: '#c377e0' }]);
  });
});
