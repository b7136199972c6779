// A lone surrogate in a body (`"\ud800"` without its pair; found by the fuzz suite, issue 15):
// neither database can store one, and they replaced it differently (PostgreSQL one U+FFFD,
// SQLite three) while the answer echoed the original. Both now refuse it with a 400 naming the
// field, like NUL; a complete pair (an emoji) is ordinary text, stored and read back as sent.
import { describe, expect, it } from 'vitest';
import { loneSurrogatePath } from '../src/http/nul.ts';
import { worldSuite } from './helpers/world-suite.ts';
import { expect400 } from './helpers/expect.ts';
import { fingerprint } from './helpers/fingerprint.ts';

const LONE = 'This value should not contain a lone surrogate (U+D800 to U+DFFF without its pair).';

const s = worldSuite();

describe('loneSurrogatePath', () => {
  it('names the first string or key holding an unpaired surrogate; pairs pass', () => {
    expect(loneSurrogatePath('a\uD800')).toBe('body');
    expect(loneSurrogatePath({ text: '\uD83D\uDE00 ok', name: '\uDE00x' })).toBe('name');
    expect(loneSurrogatePath({ tags: [{ name: 'a' }, { name: 'b\uD800\uD800' }] })).toBe('tags[1].name');
    expect(loneSurrogatePath({ data: { 'k\uDFFF': 1 } })).toBe('data.k\\udfff');
    expect(loneSurrogatePath({ text: 'smile \uD83D\uDE00', n: 1, deep: [[{ x: null }]] })).toBeNull();
  });
});

describe('a body holding a lone surrogate', () => {
  it.each([
    ['POST', '/v1/messages', 'text', () => ({ chat: s.w.chat.id, text: 'hi\uD83D' })],
    ['POST', '/v1/customers', 'name', () => ({ name: 'a\uD800b' })],
    ['PUT', '/v1/customers/{c}/tags', 'tags[1].name', () => ({ tags: [{ name: 'vip' }, { name: 't\uDC00' }] })],
    ['POST', '/v1/events', 'data.page', () => ({ name: 'viewed', customer: s.w.chat.customer.id, data: { page: '\uD800' } })],
    ['POST', '/v1/customers/search', 'filter[0].value', () => ({ filter: [{ field: 'customers.name', operator: '~', value: '\uD800' }] })],
    ['PUT', '/v1/customers/batch', '[1].city', () => [{ customer: s.w.chat.customer.id, company: 'Acme' }, { customer: s.w.chat.customer.id, city: '\uDBFF' }]],
  ] as const)('%s %s → 400 naming %s, nothing written', async (method, path, code, body) => {
    const url = path.replace('{c}', String(s.w.chat.customer.id));
    const before = await fingerprint(s.t.database);
    s.t.clock.advance(1);
    const res = method === 'POST' ? await s.api.post(url, body()) : await s.api.put(url, body());
    expect400(res, { code, message: LONE });
    expect(await fingerprint(s.t.database)).toEqual(before);
  });

  it('written as an escape in any case (`\\uDC00`, `\\udc00`) it is refused alike', async () => {
    for (const escape of ['\\uDC00', '\\udc00', '\\uDa00']) {
      expect400(await s.api.post('/v1/customers', `{"name":"x${escape}"}`), { code: 'name', message: LONE });
    }
  });

  it('a complete pair is ordinary text: stored and read back as sent, on both databases', async () => {
    const created = await s.api.post('/v1/customers', { name: 'Ann \uD83D\uDE00', tags: [{ name: '\uD83C\uDF89' }] });
    expect(created.status).toBe(201);
    const read = await s.api.get(`/v1/customers/${created.body.id}`);
    expect(read.body.name).toBe('Ann \uD83D\uDE00');
    expect(read.body.tags).toEqual([{ name: '\uD83C\uDF89', color: '#c377e0' }]);
  });

  it('bytes that are not UTF-8 (ED A0 80, a surrogate encoded anyway) are read as U+FFFD, as Node decodes any body', async () => {
    const payload = Buffer.concat([Buffer.from('{"name":"a'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('b"}')]);
    const res = await s.t.app.inject({ method: 'POST', url: '/v1/customers', payload, headers: { authorization: `Bearer ${s.w.org.apiKey}` } });
    expect(res.statusCode).toBe(201);
    expect((await s.api.get(`/v1/customers/${res.json().id}`)).body.name).toBe('a\uFFFD\uFFFD\uFFFDb');
  });
});
