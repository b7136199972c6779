// What one request may ask (issue 15): bounds on search conditions, string values, tag names in
// a condition and tags in a request, each refused with a 400 naming the field — where without
// them SQLite failed (1,000+ conditions, a 50,000-character value, 20,000 tags) and PostgreSQL
// spent seconds of CPU on one request. Both databases answer alike; nothing changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEARCH_LIMITS } from '../src/modules/search/filter.ts';
import { MAX_TAGS_PER_REQUEST } from '../src/modules/customers/customers.schema.ts';
import { buildTestApp, client, type Client, type TestApp } from './helpers/app.ts';
import { expect400 } from './helpers/expect.ts';
import { factories } from './helpers/factories.ts';

let t: TestApp;
let api: Client;
let customerId: number;

beforeAll(async () => {
  t = await buildTestApp();
  const w = await factories(t.database, t.clock).world();
  api = client(t.app, w.org.apiKey);
  customerId = w.chat.customer.id;
});
afterAll(() => t.close());

const tooMany = (n: number) => `This collection should contain ${n} elements or less.`;
const cond = (i: number) => ({ field: 'chats.status', operator: '!=', value: i % 2 ? 'closed' : 'pending' });

describe('search bounds', () => {
  it(`${SEARCH_LIMITS.conditions} conditions are served; one more is a 400 on filter`, async () => {
    const at = Array.from({ length: SEARCH_LIMITS.conditions }, (_, i) => cond(i));
    expect((await api.post('/v1/chats/search', { filter: at })).status).toBe(200);
    for (const n of [SEARCH_LIMITS.conditions + 1, 1_500]) {
      const over = Array.from({ length: n }, (_, i) => cond(i));
      expect400(await api.post('/v1/chats/search', { filter: over }), { code: 'filter', message: tooMany(SEARCH_LIMITS.conditions) });
      expect400(await api.post('/v1/customers/search', { filter: over.map(() => ({ field: 'customers.name', operator: '~', value: 'a' })) }), {
        code: 'filter',
        message: tooMany(SEARCH_LIMITS.conditions),
      });
    }
  });

  it(`a string value over ${SEARCH_LIMITS.valueLength} characters is a 400 on its value`, async () => {
    const ok = 'a'.repeat(SEARCH_LIMITS.valueLength);
    expect((await api.post('/v1/customers/search', { filter: [{ field: 'customers.name', operator: '~', value: ok }] })).status).toBe(200);
    for (const value of [`${ok}a`, 'x'.repeat(50_001)]) {
      expect400(await api.post('/v1/chats/search', { filter: [{ field: 'chats.customer.email', operator: '~', value }] }), {
        code: 'filter[0].value',
        message: `This value is too long. It should have ${SEARCH_LIMITS.valueLength} characters or less.`,
      });
    }
  });

  it(`a tags condition of more than ${SEARCH_LIMITS.tagsPerCondition} names is a 400 on its value`, async () => {
    const names = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `t${i}` }));
    expect((await api.post('/v1/chats/search', { filter: [{ field: 'chats.customer.tagsData', operator: '=', value: names(SEARCH_LIMITS.tagsPerCondition) }] })).status).toBe(200);
    expect400(await api.post('/v1/chats/search', { filter: [{ field: 'chats.customer.tagsData', operator: '=', value: names(SEARCH_LIMITS.tagsPerCondition + 1) }] }), {
      code: 'filter[0].value',
      message: tooMany(SEARCH_LIMITS.tagsPerCondition),
    });
  });
});

describe('tag bounds', () => {
  const tags = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `tag${i}` }));

  it(`${MAX_TAGS_PER_REQUEST} tags in one request are stored; more are a 400 on tags and nothing changes`, async () => {
    for (const n of [MAX_TAGS_PER_REQUEST + 1, 20_000]) {
      expect400(await api.put(`/v1/customers/${customerId}/tags`, { tags: tags(n) }), { code: 'tags', message: tooMany(MAX_TAGS_PER_REQUEST) });
      expect400(await api.put(`/v1/customers/${customerId}`, { tags: tags(n) }), { code: 'tags', message: tooMany(MAX_TAGS_PER_REQUEST) });
    }
    expect((await api.get(`/v1/customers/${customerId}`)).body.tags).toEqual([]);
    const res = await api.put(`/v1/customers/${customerId}/tags`, { tags: tags(MAX_TAGS_PER_REQUEST) });
    expect(res.status).toBe(200);
    expect(res.body.tags).toHaveLength(MAX_TAGS_PER_REQUEST);
  });

  it('a location value over 255 characters is a 400 naming location', async () => {
    const res = await api.put(`/v1/customers/${customerId}`, { location: { city: 'c'.repeat(256) } });
    expect400(res, { code: 'location', message: 'city: This value is too long. It should have 255 characters or less.' });
  });
});
