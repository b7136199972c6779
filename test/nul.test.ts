// U+0000 in any text (issue 15): PostgreSQL answered 500 (text and jsonb cannot hold it) while
// SQLite stored it. Both now refuse it alike with a 400 naming the field, and nothing changes.
import { describe, expect, it } from 'vitest';
import { nulPath } from '../src/http/nul.ts';
import { worldSuite } from './helpers/world-suite.ts';
import { expect400 } from './helpers/expect.ts';

const NUL = 'This value should not contain the NUL character (U+0000).';

const s = worldSuite();

describe('nulPath', () => {
  it('names the first string or key holding U+0000', () => {
    expect(nulPath('a\0')).toBe('body');
    expect(nulPath({ text: 'ok', name: 'x\0y' })).toBe('name');
    expect(nulPath({ tags: [{ name: 'a' }, { name: '\0' }] })).toBe('tags[1].name');
    expect(nulPath([{ customer: 1 }, { customer: 2, city: '\0' }])).toBe('[1].city');
    expect(nulPath({ data: { 'k\0': 1 } })).toBe('data.k\\u0000');
    expect(nulPath({ text: 'no nul here', n: 0, deep: [[{ x: null }]] })).toBeNull();
  });
});

describe('a body holding U+0000', () => {
  it.each([
    ['POST', '/v1/messages', () => ({ chat: s.w.chat.id, text: 'hello\u0000world' }), 'text'],
    ['POST', '/v1/customers', () => ({ name: 'Ann\u0000' }), 'name'],
    ['PUT', '/v1/customers/{c}/tags', () => ({ tags: [{ name: 'vip' }, { name: 'v\u0000' }] }), 'tags[1].name'],
    ['POST', '/v1/events', () => ({ name: 'viewed', customer: s.w.chat.customer.id, data: { page: '/a\u0000' } }), 'data.page'],
    ['POST', '/v1/events', () => ({ name: 'viewed', customer: s.w.chat.customer.id, data: { 'p\u0000': 1 } }), 'data.p\\u0000'],
    ['POST', '/v1/chats/search', () => ({ filter: [{ field: 'chats.customer.email', operator: '~', value: '\u0000' }] }), 'filter[0].value'],
    ['POST', '/v1/customers/search', () => ({ filter: [{ field: 'customers.name', operator: '=', value: 'a\u0000' }] }), 'filter[0].value'],
    ['PUT', '/v1/customers/batch', () => [{ customer: s.w.chat.customer.id, company: 'Acme' }, { customer: s.w.chat.customer.id, company: '\u0000' }], '[1].company'],
  ] as const)('%s %s → 400 naming %s, nothing written', async (method, path, body, code) => {
    const url = path.replace('{c}', String(s.w.chat.customer.id));
    const before = await snapshot();
    const res = method === 'POST' ? await s.api.post(url, body()) : await s.api.put(url, body());
    expect400(res, { code, message: NUL });
    expect(await snapshot()).toEqual(before);
  });

  it('the escaped text "\\\\u0000" (a backslash, then u0000) is ordinary text and is stored', async () => {
    const res = await s.api.post('/v1/messages', { chat: s.w.chat.id, text: 'literally \\u0000' });
    expect(res.status).toBe(200);
    expect(res.body.text).toBe('literally \\u0000');
  });
});

describe('a query string holding U+0000', () => {
  it('→ 400 naming the parameter', async () => {
    expect400(await s.api.get('/v1/chats?limit=5&note=a%00b'), { code: 'note', message: NUL });
    expect400(await s.api.get(`/v1/chats/${s.w.chat.id}/messages?x=%00`), { code: 'x', message: NUL });
  });
});

async function snapshot() {
  const db = s.t.database.db;
  const count = async (table: 'messages' | 'customers' | 'customer_tags' | 'customer_events' | 'outbox') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return {
    messages: await count('messages'),
    customers: await count('customers'),
    tags: await count('customer_tags'),
    events: await count('customer_events'),
    outbox: await count('outbox'),
    company: (await s.api.get(`/v1/customers/${s.w.chat.customer.id}`)).body.company,
  };
}
