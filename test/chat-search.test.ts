// GET /v1/chats and POST /v1/chats/search (API.md §4.1, §5): every field × operator against a
// hand-built dataset whose answers an independent predicate computes; paging walks; refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, client, T0, type Client, type TestApp } from './helpers/app.ts';
import { CHAT_KEYS, expect400 } from './helpers/expect.ts';
import { factories } from './helpers/factories.ts';
import { CHAT_FIELD_CHOICE, CHAT_SORT_CHOICE, ENUM_OPERATORS, operatorChoice } from './helpers/search-choices.ts';

interface Spec {
  customer: number; // index into CUSTOMERS
  assignee: number | null; // index into agents
  department: number | null;
  status: string;
  rating: string | null;
  closedAt: number | null;
  lastMessageAt: number | null;
  lastCustomerMessageAt: number | null;
  writers: number[]; // agents who wrote, in order
}
const CUSTOMERS = [
  { name: 'Ann', email: 'ann@gmail.com', userId: 'u-100', tags: [{ name: 'vip' }, { name: 'paid' }] },
  { name: 'Bob', email: 'BOB@GMAIL.COM', userId: 'u-200', tags: [{ name: 'vip' }] },
  { name: 'Cy', email: 'cy_50%@corp.test', userId: 'x\\y', tags: [{ name: 'paid' }] },
  { name: 'Di', email: null, userId: null, tags: [] },
];
const S = (over: Partial<Spec>): Spec => ({ customer: 0, assignee: null, department: null, status: 'new', rating: null, closedAt: null, lastMessageAt: null, lastCustomerMessageAt: null, writers: [], ...over });
const SPECS: Spec[] = [
  S({ customer: 0, assignee: 0, status: 'opened', lastMessageAt: T0 + 50, lastCustomerMessageAt: T0 + 40, writers: [0] }),
  S({ customer: 1, status: 'new', lastMessageAt: T0 + 10, lastCustomerMessageAt: T0 + 10 }),
  S({ customer: 2, assignee: 1, department: 0, status: 'closed', rating: 'great', closedAt: T0 + 500, lastMessageAt: T0 + 30, writers: [1, 0] }),
  S({ customer: 3, status: 'empty' }),
  S({ customer: 0, assignee: 2, department: 1, status: 'pending', lastMessageAt: T0 + 30, lastCustomerMessageAt: T0 + 30, writers: [2] }),
  S({ customer: 1, assignee: 0, department: 1, status: 'closed', rating: 'poor', closedAt: T0 + 300, lastMessageAt: T0 + 20, writers: [0] }),
  S({ customer: 2, status: 'onhold', department: 0, lastMessageAt: T0 + 60 }),
  S({ customer: 3, assignee: 1, status: 'no communication', lastCustomerMessageAt: T0 + 5 }),
  S({ customer: 0, status: 'new' }),
  S({ customer: 2, assignee: 2, status: 'closed', closedAt: T0 + 300, writers: [2, 1] }),
];

let t: TestApp;
let api: Client;
let ids: number[] = []; // chat id of each spec
let agentIds: number[] = [];
let deptIds: number[] = [];
let customerIds: number[] = [];
let foreignApi: Client;

beforeAll(async () => {
  t = await buildTestApp();
  const f = factories(t.database, t.clock);
  const org = await f.org();
  api = client(t.app, org.apiKey);
  deptIds = [(await f.department(org.id)).id, (await f.department(org.id)).id];
  agentIds = [(await f.agent(org.id)).id, (await f.agent(org.id)).id, (await f.agent(org.id)).id];
  for (const c of CUSTOMERS) customerIds.push((await f.customer(org.id, c)).id);
  for (const [i, s] of SPECS.entries()) {
    t.clock.set(T0 + i * 10); // createdAt: T0, T0+10, …
    const chat = await f.chat(org.id, {
      applicationId: org.applicationId,
      customerId: customerIds[s.customer],
      assignee: s.assignee === null ? undefined : agentIds[s.assignee],
      department: s.department === null ? undefined : deptIds[s.department],
    });
    ids.push(chat.id);
    await t.database.write((trx) =>
      trx
        .updateTable('chats')
        .set({ status: s.status as 'new', rating: s.rating, closed_at: s.closedAt, last_message_at: s.lastMessageAt, last_customer_message_at: s.lastCustomerMessageAt, updated_at: T0 + 1000 - i })
        .where('id', '=', chat.id)
        .execute(),
    );
    for (const [k, w] of s.writers.entries()) {
      await t.database.write((trx) => trx.insertInto('chat_agents').values({ organization_id: org.id, chat_id: chat.id, agent_id: agentIds[w], created_at: T0 + k }).execute());
    }
  }
  // Another organization's chats must never show up.
  const other = await f.world();
  foreignApi = client(t.app, other.org.apiKey);
});
afterAll(() => t.close());

const search = (body: unknown) => api.post('/v1/chats/search', body);
const labels = (res: { body: { data: Array<{ id: number }> } }) => res.body.data.map((c) => ids.indexOf(c.id));
const where = (p: (s: Spec, i: number) => boolean) => SPECS.flatMap((s, i) => (p(s, i) ? [i] : []));
const createdAt = (i: number) => T0 + i * 10;
const cust = (s: Spec) => CUSTOMERS[s.customer];

type Case = [string, unknown, unknown, (s: Spec, i: number) => boolean];
const CASES = (): Case[] => [
  ['chats.assignee', '=', agentIds[0], (s) => s.assignee === 0],
  ['assignee', '=', String(agentIds[1]), (s) => s.assignee === 1],
  ['chats.assignee', '=', null, (s) => s.assignee === null],
  ['chats.assignee', '!=', null, (s) => s.assignee !== null],
  ['chats.assignee', '!=', agentIds[0], (s) => s.assignee !== 0],
  ['chats.assignee', '>', agentIds[0], (s) => s.assignee !== null && s.assignee > 0],
  ['chats.assignee', '<=', agentIds[1], (s) => s.assignee !== null && s.assignee <= 1],
  ['chats.agents', '=', agentIds[0], (s) => s.writers.includes(0)],
  ['chats.agents', '!=', agentIds[1], (s) => !s.writers.includes(1)],
  ['chats.createdAt', '=', T0 + 20, (_, i) => createdAt(i) === T0 + 20],
  ['chats.createdAt', '!=', T0 + 20, (_, i) => createdAt(i) !== T0 + 20],
  ['chats.createdAt', '>', T0 + 50, (_, i) => createdAt(i) > T0 + 50],
  ['chats.createdAt', '>=', `${T0 + 50}.000`, (_, i) => createdAt(i) >= T0 + 50],
  ['chats.createdAt', '<', String(T0 + 30), (_, i) => createdAt(i) < T0 + 30],
  ['chats.createdAt', '<=', T0 + 30, (_, i) => createdAt(i) <= T0 + 30],
  ['chats.updatedAt', '>', T0 + 995, (_, i) => T0 + 1000 - i > T0 + 995],
  ['chats.closedAt', '=', T0 + 300, (s) => s.closedAt === T0 + 300],
  ['chats.closedAt', '=', null, (s) => s.closedAt === null],
  ['chats.closedAt', '>=', T0 + 400, (s) => s.closedAt !== null && s.closedAt >= T0 + 400],
  ['chats.closedAt', '!=', T0 + 300, (s) => s.closedAt !== T0 + 300],
  ['chats.department', '=', deptIds[1], (s) => s.department === 1],
  ['chats.department', '=', null, (s) => s.department === null],
  ['chats.department', '!=', deptIds[0], (s) => s.department !== 0],
  ['chats.status', '=', 'closed', (s) => s.status === 'closed'],
  ['chats.status', '=', 'open', (s) => s.status === 'opened'],
  ['chats.status', '=', 'on-hold', (s) => s.status === 'onhold'],
  ['chats.status', '!=', 'new', (s) => s.status !== 'new'],
  ['chats.status', '=', 'no communication', (s) => s.status === 'no communication'],
  ['chats.rating', '=', 'great', (s) => s.rating === 'great'],
  ['chats.rating', '!=', 'great', (s) => s.rating !== 'great'],
  ['chats.rating', '=', null, (s) => s.rating === null],
  ['chats.customer', '=', customerIds[2], (s) => s.customer === 2],
  ['chats.customer', '!=', customerIds[2], (s) => s.customer !== 2],
  ['chats.customer.email', '=', 'ann@gmail.com', (s) => cust(s).email === 'ann@gmail.com'],
  ['chats.customer.email', '!=', 'ann@gmail.com', (s) => cust(s).email !== 'ann@gmail.com'],
  ['chats.customer.email', '~', 'GMAIL', (s) => !!cust(s).email?.toLowerCase().includes('gmail')],
  ['chats.customer.email', '!~', 'gmail', (s) => !cust(s).email?.toLowerCase().includes('gmail')],
  ['chats.customer.email', '~', '_50%', (s) => !!cust(s).email?.includes('_50%')],
  ['chats.customer.email', '~', '%', (s) => !!cust(s).email?.includes('%')],
  ['chats.customer.email', '~', 'n_gmail', () => false], // _ is literal, not "any character"
  ['chats.customer.userId', '=', 'u-100', (s) => cust(s).userId === 'u-100'],
  ['chats.customer.userId', '~', 'u-', (s) => !!cust(s).userId?.includes('u-')],
  ['chats.customer.userId', '~', '\\', (s) => !!cust(s).userId?.includes('\\')],
  ['chats.customer.userId', '!~', '1', (s) => !cust(s).userId?.includes('1')],
  ['chats.customer.tagsData', '=', [{ name: 'vip' }], (s) => cust(s).tags.some((t) => t.name === 'vip')],
  ['chats.customer.tagsData', '=', [{ name: 'vip' }, { name: 'paid' }], (s) => ['vip', 'paid'].every((n) => cust(s).tags.some((t) => t.name === n))],
  ['chats.customer.tagsData', '!=', [{ name: 'paid' }], (s) => !cust(s).tags.some((t) => t.name === 'paid')],
];

describe('POST /v1/chats/search: every field and operator', () => {
  it('answers {data, meta: {total}, total} with whole Chats', async () => {
    const res = await search({ filter: [{ field: 'chats.status', operator: '=', value: 'closed' }] });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['data', 'meta', 'total']);
    expect(res.body.total).toBe(3);
    expect(res.body.meta).toEqual({ total: 3 });
    expect(Object.keys(res.body.data[0])).toEqual(CHAT_KEYS);
    expect(res.body.data.find((c: { id: number }) => c.id === ids[2]).agents.map((a: { id: number }) => a.id)).toEqual([agentIds[1], agentIds[0]]);
  });

  it('every case matches exactly the chats its predicate selects, in createdAt order', async () => {
    for (const [field, operator, value, predicate] of CASES()) {
      const res = await search({ filter: [{ field, operator, value }] });
      const expected = where(predicate);
      expect({ field, operator, value, status: res.status, got: labels(res) }).toEqual({ field, operator, value, status: 200, got: expected });
      expect(res.body.total).toBe(expected.length);
    }
  });

  it('AND (default, any case) and OR combine conditions', async () => {
    const a = { field: 'chats.status', operator: '=', value: 'closed' };
    const b = { field: 'chats.assignee', operator: '=', value: agentIds[0] };
    expect(labels(await search({ filter: [a, b] }))).toEqual(where((s) => s.status === 'closed' && s.assignee === 0));
    expect(labels(await search({ filter: [a, b], comparison: 'and' }))).toEqual(where((s) => s.status === 'closed' && s.assignee === 0));
    expect(labels(await search({ filter: [a, b], comparison: 'OR' }))).toEqual(where((s) => s.status === 'closed' || s.assignee === 0));
  });

  it('no filter, or an empty one, matches every chat of the organization only', async () => {
    for (const body of [{}, { filter: [] }, { filter: null }, undefined]) {
      const res = await search(body);
      expect(labels(res)).toEqual(SPECS.map((_, i) => i));
    }
    expect((await foreignApi.post('/v1/chats/search', {})).body.total).toBe(1);
  });

  it('unassigned new chats, newest first', async () => {
    const res = await search({ filter: [{ field: 'chats.assignee', operator: '=', value: null }, { field: 'chats.status', operator: '=', value: 'new' }], sort: 'chats.createdAt', order: 'DESC' });
    expect(labels(res)).toEqual([8, 1]);
  });
});

describe('refusals name the failing part, and injection is inert', () => {
  it.each([
    [{ filter: [{ field: 'chats.nope', operator: '=', value: 1 }] }, [{ code: 'filter[0].field', message: CHAT_FIELD_CHOICE }]],
    [{ filter: [{ operator: '=', value: 1 }] }, [{ code: 'filter[0].field', message: 'This value should not be blank.' }]],
    [{ filter: [{ field: 'chats.status', operator: 'LIKE', value: 'x' }] }, [{ code: 'filter[0].operator', message: operatorChoice(ENUM_OPERATORS) }]],
    [{ filter: [{ field: 'chats.status', operator: '~', value: 'x' }] }, [{ code: 'filter[0].operator', message: 'The operator "~" cannot be used with this field. Valid operators: =, !=' }]],
    [{ filter: [{ field: 'chats.status', operator: '=', value: 'sleeping' }] }, [{ code: 'filter[0].value', message: 'The value you selected is not a valid choice.' }]],
    [{ filter: [{ field: 'chats.assignee', operator: '=', value: 'abc' }] }, [{ code: 'filter[0].value', message: 'This value should be of type numeric.' }]],
    [{ filter: [{ field: 'chats.createdAt', operator: '>', value: null }] }, [{ code: 'filter[0].value', message: 'This value should not be blank.' }]],
    [{ filter: [{ field: 'chats.customer.email', operator: '~', value: 5 }, { field: 'chats.customer.email', operator: '~', value: {} }] }, [{ code: 'filter[1].value', message: 'This value should be of type string.' }]],
    [{ filter: [{ field: 'chats.customer.tagsData', operator: '=', value: 'vip' }] }, [{ code: 'filter[0].value', message: 'This value should be a non-empty array of {"name": string}.' }]],
    [{ filter: 'status=new' }, [{ code: 'filter', message: 'This value should be of type array.' }]],
    [{ filter: [42] }, [{ code: 'filter[0]', message: 'This value should be of type object.' }]],
    [{ comparison: 'XOR' }, [{ code: 'comparison', message: 'The value you selected is not a valid choice.' }]],
    [{ sort: 'chats.id; drop table chats' }, [{ code: 'sort', message: CHAT_SORT_CHOICE }]],
    [{ order: 'sideways', limit: -1, offset: 'x' }, [
      { code: 'order', message: 'The value you selected is not a valid choice.' },
      { code: 'offset', message: 'This value should be of type numeric.' },
      { code: 'limit', message: 'This value should be either positive or zero.' },
    ]],
  ])('%j → 400', async (body, items) => {
    expect400(await search(body), ...items);
  });

  it('SQL in field, operator or value is refused or matched literally', async () => {
    for (const field of ["chats.status' OR 1=1 --", 'chats.status) or (1=1', '1; drop table chats']) {
      expect((await search({ filter: [{ field, operator: '=', value: 'new' }] })).status).toBe(400);
    }
    expect((await search({ filter: [{ field: 'chats.status', operator: '= 1 or 1=1 --', value: 'new' }] })).status).toBe(400);
    for (const value of ["x' OR '1'='1", "%' --", "'); drop table chats; --"]) {
      const res = await search({ filter: [{ field: 'chats.customer.email', operator: '~', value }] });
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(0);
    }
    expect((await search({})).body.total).toBe(SPECS.length); // the table is intact
  });
});

describe('GET /v1/chats', () => {
  it('answers {data, meta: {total}}, oldest first by default', async () => {
    const res = await api.get('/v1/chats');
    expect(Object.keys(res.body)).toEqual(['data', 'meta']);
    expect(res.body.meta).toEqual({ total: SPECS.length });
    expect(labels(res)).toEqual(SPECS.map((_, i) => i));
  });

  it.each(['createdAt', 'lastCustomerMessageAt', 'lastMessageAt', 'closedAt'])('sort=%s in both spellings and both orders, ties by id', async (key) => {
    const value = (s: Spec, i: number) => (key === 'createdAt' ? createdAt(i) : (s as unknown as Record<string, number | null>)[key]);
    const cmp = (a: number, b: number) => {
      const va = value(SPECS[a], a) ?? -Infinity; // nulls first ascending, last descending
      const vb = value(SPECS[b], b) ?? -Infinity;
      return va === vb ? ids[a] - ids[b] : va - vb;
    };
    const asc = SPECS.map((_, i) => i).sort(cmp);
    expect(labels(await api.get(`/v1/chats?sort=${key}`))).toEqual(asc);
    expect(labels(await api.get(`/v1/chats?sort=chats.${key}&order=Asc`))).toEqual(asc);
    expect(labels(await api.get(`/v1/chats?sort=chats.${key}&order=DESC`))).toEqual([...asc].reverse());
  });

  it('a paging walk with limit 7 returns every chat exactly once under each sort and order', async () => {
    for (const sort of ['createdAt', 'lastCustomerMessageAt', 'lastMessageAt', 'closedAt']) {
      for (const order of ['asc', 'desc']) {
        const seen: number[] = [];
        for (let offset = 0; offset < 40; offset += 7) {
          const page = await api.get(`/v1/chats?sort=${sort}&order=${order}&limit=7&offset=${offset}`);
          expect(page.body.meta.total).toBe(SPECS.length);
          seen.push(...labels(page));
        }
        expect(seen.sort((a, b) => a - b)).toEqual(SPECS.map((_, i) => i));
      }
    }
  });

  it('the same walk through the search endpoint with a filter', async () => {
    const seen: number[] = [];
    for (let offset = 0; offset < 20; offset += 7) {
      seen.push(...labels(await search({ filter: [{ field: 'chats.status', operator: '!=', value: 'empty' }], sort: 'lastMessageAt', order: 'desc', limit: 7, offset })));
    }
    expect(seen.sort((a, b) => a - b)).toEqual(where((s) => s.status !== 'empty'));
  });

  it('limit above 100 is clamped; bad sort or order → 400', async () => {
    expect((await api.get('/v1/chats?limit=500')).status).toBe(200);
    expect400(await api.get('/v1/chats?sort=id&order=up'), { code: 'sort', message: CHAT_SORT_CHOICE }, { code: 'order', message: 'The value you selected is not a valid choice.' });
  });
});
