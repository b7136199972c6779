// POST /v1/customers/search (API.md §4.1, §5): every customer field × operator against a
// hand-built dataset whose answers an independent predicate computes; paging; refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, client, T0, type Client, type TestApp } from './helpers/app.ts';
import { expect400 } from './helpers/expect.ts';
import { factories } from './helpers/factories.ts';
import { CUSTOMER_FIELD_CHOICE, CUSTOMER_SORT_CHOICE } from './helpers/search-choices.ts';

interface Spec {
  name: string | null;
  email: string | null;
  userId: string | null;
  company: string | null;
  phone: string | null;
  location: { countryCode: string | null; city: string | null; regionCode: string | null };
  firstSeen: number;
  lastSeen: number | null;
  tags: string[];
  telegramId?: string;
  facebookId?: string;
  instagramId?: string;
  viberId?: string;
  whatsappId?: string;
}
const loc = (countryCode: string | null, city: string | null, regionCode: string | null) => ({ countryCode, city, regionCode });
const SPECS: Spec[] = [
  { name: 'Ann Lee', email: 'ann@gmail.com', userId: 'u-100', company: 'Acme', phone: '+1 555', location: loc('US', 'Fresno', 'CA'), firstSeen: T0 - 50, lastSeen: T0 - 5, tags: ['vip', 'paid'], telegramId: 'tg1' },
  { name: 'Bob', email: 'BOB@GMAIL.COM', userId: 'u-200', company: 'Globex', phone: null, location: loc('UA', 'Kyiv', null), firstSeen: T0 - 40, lastSeen: null, tags: ['vip'], facebookId: 'fb2' },
  { name: 'Cy 50%', email: 'cy_50%@corp.test', userId: 'x\\y', company: null, phone: '+380 50', location: loc('UA', 'Lviv', '46'), firstSeen: T0 - 30, lastSeen: T0 - 20, tags: ['paid'], instagramId: 'ig3' },
  { name: null, email: null, userId: null, company: 'acme labs', phone: null, location: loc(null, null, null), firstSeen: T0 - 20, lastSeen: T0 - 20, tags: [], viberId: 'vb4', whatsappId: 'wa4' },
  { name: 'Dee', email: 'dee@corp.test', userId: '42', company: 'Acme', phone: '+1 556', location: loc('US', 'Austin', 'TX'), firstSeen: T0 - 10, lastSeen: T0 - 1, tags: ['trial'] },
];

let t: TestApp;
let api: Client;
let ids: number[] = [];

beforeAll(async () => {
  t = await buildTestApp();
  const f = factories(t.database, t.clock);
  const org = await f.org();
  api = client(t.app, org.apiKey);
  for (const s of SPECS) {
    const res = await api.post('/v1/customers', { ...s, tags: s.tags.map((name) => ({ name })) });
    expect(res.status).toBe(201);
    ids.push(res.body.id);
  }
  // Another organization's customers, matching everything, must never show up.
  const other = await f.org();
  for (const s of SPECS) await client(t.app, other.apiKey).post('/v1/customers', { ...s, tags: s.tags.map((name) => ({ name })) });
});
afterAll(() => t.close());

const search = (body: unknown) => api.post('/v1/customers/search', body);
const labels = (res: { body: { data: Array<{ id: number }> } }) => res.body.data.map((c) => ids.indexOf(c.id));
const where = (p: (s: Spec, i: number) => boolean) => SPECS.flatMap((s, i) => (p(s, i) ? [i] : []));
const has = (v: string | null | undefined, part: string) => !!v && v.toLowerCase().includes(part.toLowerCase());

type Case = [string, string, unknown, (s: Spec, i: number) => boolean];
const CASES = (): Case[] => [
  ['customers.id', '=', ids[2], (_, i) => i === 2],
  ['id', '!=', String(ids[2]), (_, i) => i !== 2],
  ['customers.id', '>', ids[1], (_, i) => i > 1],
  ['customers.id', '<=', ids[1], (_, i) => i <= 1],
  ['customers.name', '=', 'Bob', (s) => s.name === 'Bob'],
  ['customers.name', '!=', 'Bob', (s) => s.name !== 'Bob'],
  ['customers.name', '~', '50%', (s) => has(s.name, '50%')],
  ['customers.name', '!~', 'e', (s) => !has(s.name, 'e')],
  ['customers.email', '~', 'GMAIL', (s) => has(s.email, 'gmail')],
  ['customers.email', '!~', 'gmail', (s) => !has(s.email, 'gmail')],
  ['customers.email', '~', '_50%', (s) => has(s.email, '_50%')],
  ['customers.email', '~', 'n_gmail', () => false], // `_` is literal
  ['customers.email', '=', 'dee@corp.test', (s) => s.email === 'dee@corp.test'],
  ['customers.userId', '=', 'u-100', (s) => s.userId === 'u-100'],
  ['customers.userId', '=', 42, (s) => s.userId === '42'],
  ['customers.userId', '~', '\\', (s) => has(s.userId, '\\')],
  ['customers.userId', '!=', 'u-100', (s) => s.userId !== 'u-100'],
  ['customers.company', '~', 'acme', (s) => has(s.company, 'acme')],
  ['customers.company', '=', 'Acme', (s) => s.company === 'Acme'],
  ['customers.phone', '~', '+1', (s) => has(s.phone, '+1')],
  ['customers.phone', '!~', '+1', (s) => !has(s.phone, '+1')],
  ['customers.countryCode', '=', 'UA', (s) => s.location.countryCode === 'UA'],
  ['customers.countryCode', '!=', 'UA', (s) => s.location.countryCode !== 'UA'],
  ['customers.city', '~', 'v', (s) => has(s.location.city, 'v')],
  ['customers.regionCode', '=', 'CA', (s) => s.location.regionCode === 'CA'],
  ['customers.regionCode', '!~', 'a', (s) => !has(s.location.regionCode, 'a')],
  ['customers.firstSeen', '=', T0 - 30, (s) => s.firstSeen === T0 - 30],
  ['customers.firstSeen', '>', `${T0 - 30}.999`, (s) => s.firstSeen > T0 - 30],
  ['customers.firstSeen', '<=', String(T0 - 30), (s) => s.firstSeen <= T0 - 30],
  ['customers.firstSeen', '!=', T0 - 30, (s) => s.firstSeen !== T0 - 30],
  ['customers.lastSeen', '=', null, (s) => s.lastSeen === null],
  ['customers.lastSeen', '!=', null, (s) => s.lastSeen !== null],
  ['customers.lastSeen', '>=', T0 - 5, (s) => s.lastSeen !== null && s.lastSeen >= T0 - 5],
  ['customers.lastSeen', '<', T0 - 5, (s) => s.lastSeen !== null && s.lastSeen < T0 - 5],
  ['customers.lastSeen', '!=', T0 - 20, (s) => s.lastSeen !== T0 - 20],
  ['customers.tagsData', '=', [{ name: 'vip' }], (s) => s.tags.includes('vip')],
  ['customers.tagsData', '=', [{ name: 'vip' }, { name: 'paid' }], (s) => s.tags.includes('vip') && s.tags.includes('paid')],
  ['customers.tagsData', '!=', [{ name: 'paid' }], (s) => !s.tags.includes('paid')],
  ['customers.tagsData', '=', ['trial'], (s) => s.tags.includes('trial')],
  ['customers.telegramId', '=', 'tg1', (s) => s.telegramId === 'tg1'],
  ['customers.facebookId', '~', 'FB', (s) => has(s.facebookId, 'fb')],
  ['customers.instagramId', '=', 'ig3', (s) => s.instagramId === 'ig3'],
  ['customers.viberId', '!=', 'vb4', (s) => s.viberId !== 'vb4'],
  ['customers.whatsappId', '~', 'wa', (s) => has(s.whatsappId, 'wa')],
];

describe('POST /v1/customers/search: every field and operator', () => {
  it('answers {data, meta: {total}, total} with whole Customers', async () => {
    const res = await search({ filter: [{ field: 'customers.email', operator: '~', value: 'gmail' }] });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['data', 'meta', 'total']);
    expect(res.body.meta).toEqual({ total: 2 });
    expect(res.body.total).toBe(2);
    expect(res.body.data[0]).toEqual((await api.get(`/v1/customers/${ids[0]}`)).body);
  });

  it('every case matches exactly the customers its predicate selects, in creation order', async () => {
    for (const [field, operator, value, predicate] of CASES()) {
      const res = await search({ filter: [{ field, operator, value }] });
      const expected = where(predicate);
      expect({ field, operator, value, status: res.status, got: labels(res) }).toEqual({ field, operator, value, status: 200, got: expected });
      expect(res.body.total).toBe(expected.length);
    }
  });

  it('AND (default) and OR combine conditions', async () => {
    const a = { field: 'customers.countryCode', operator: '=', value: 'UA' };
    const b = { field: 'customers.tagsData', operator: '=', value: [{ name: 'vip' }] };
    expect(labels(await search({ filter: [a, b] }))).toEqual(where((s) => s.location.countryCode === 'UA' && s.tags.includes('vip')));
    expect(labels(await search({ filter: [a, b], comparison: 'or' }))).toEqual(where((s) => s.location.countryCode === 'UA' || s.tags.includes('vip')));
  });

  it('no filter matches every customer of the organization only', async () => {
    for (const body of [{}, { filter: [] }, undefined]) expect(labels(await search(body))).toEqual([0, 1, 2, 3, 4]);
  });

  it('sort by lastSeen / firstSeen in both spellings and orders; paging walks each customer once', async () => {
    expect(labels(await search({ sort: 'customers.lastSeen', order: 'desc' }))).toEqual([4, 0, 3, 2, 1]);
    expect(labels(await search({ sort: 'firstSeen', order: 'ASC' }))).toEqual([0, 1, 2, 3, 4]);
    const seen: number[] = [];
    for (let offset = 0; offset < 6; offset += 2) seen.push(...labels(await search({ sort: 'lastSeen', limit: 2, offset })));
    expect(seen).toEqual([1, 2, 3, 0, 4]);
  });
});

describe('refusals name the failing part; values are bound, never spliced', () => {
  it.each([
    [{ filter: [{ field: 'customers.status', operator: '=', value: 1 }] }, [{ code: 'filter[0].field', message: CUSTOMER_FIELD_CHOICE }]],
    [{ filter: [{ field: 'chats.status', operator: '=', value: 'new' }] }, [{ code: 'filter[0].field', message: CUSTOMER_FIELD_CHOICE }]],
    [{ filter: [{ field: 'customers.id', operator: '~', value: 1 }] }, [{ code: 'filter[0].operator', message: 'The operator "~" cannot be used with this field. Valid operators: =, !=, >, <, >=, <=' }]],
    [{ filter: [{ field: 'customers.email', operator: '>', value: 'a' }] }, [{ code: 'filter[0].operator', message: 'The operator ">" cannot be used with this field. Valid operators: =, !=, ~, !~' }]],
    [{ filter: [{ field: 'customers.firstSeen', operator: '>', value: 'yesterday' }] }, [{ code: 'filter[0].value', message: 'This value should be of type numeric.' }]],
    [{ filter: [{ field: 'customers.email', operator: '=', value: null }] }, [{ code: 'filter[0].value', message: 'This value should not be blank.' }]],
    [{ filter: [{ field: 'customers.name', operator: '~', value: '' }] }, [{ code: 'filter[0].value', message: 'This value should not be blank.' }]],
    [{ filter: [{ field: 'customers.tagsData', operator: '=', value: [] }] }, [{ code: 'filter[0].value', message: 'This value should be a non-empty array of {"name": string}.' }]],
    [{ sort: 'name', order: 'up' }, [{ code: 'sort', message: CUSTOMER_SORT_CHOICE }, { code: 'order', message: 'The value you selected is not a valid choice.' }]],
    [{ limit: 'ten' }, [{ code: 'limit', message: 'This value should be of type numeric.' }]],
  ])('%j → 400', async (body, items) => {
    expect400(await search(body), ...items);
  });

  it('a body that is not an object → 400 on body', async () => {
    expect400(await search('[1]'), { code: 'body', message: 'This value should be of type object.' });
  });

  it('SQL in a value matches literally; the table is intact', async () => {
    for (const value of ["x' OR '1'='1", "%' --", "'); drop table customers; --"]) {
      const res = await search({ filter: [{ field: 'customers.name', operator: '~', value }] });
      expect(res.body.total).toBe(0);
    }
    expect((await search({})).body.total).toBe(SPECS.length);
  });
});
