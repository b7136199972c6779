// A deeply nested body (issue 15): 10,000 nested arrays — 20 KB — answered 500 on every route
// with a body once it held a NUL or a lone surrogate (the walk that names the field overflowed
// the stack), and on POST /v1/events even without (event `data`). A body nested more than 64
// levels deep is now refused whole with a 400 on `body`, on both databases, and nothing changes.
import { describe, expect, it } from 'vitest';
import { MAX_BODY_DEPTH, nestsDeeperThan } from '../src/http/nesting.ts';
import { worldSuite } from './helpers/world-suite.ts';
import { expect400 } from './helpers/expect.ts';
import { fingerprint } from './helpers/fingerprint.ts';

const DEEP = { code: 'body', message: 'This value should not be nested more than 64 levels deep.' };
const nest = (depth: number, inner: string) => '['.repeat(depth) + inner + ']'.repeat(depth);

const s = worldSuite();

const send = async (method: 'POST' | 'PUT', url: string, payload: string) => {
  const res = await s.t.app.inject({ method, url, payload, headers: { authorization: `Bearer ${s.w.org.apiKey}` } });
  return { status: res.statusCode, headers: res.headers, body: res.json(), text: res.body };
};

describe('nestsDeeperThan', () => {
  it('counts arrays and objects inside one another, not brackets inside strings', () => {
    expect(nestsDeeperThan('[[1]]', 2)).toBe(false);
    expect(nestsDeeperThan('[[[1]]]', 2)).toBe(true);
    expect(nestsDeeperThan('{"a":{"b":[1]}}', 2)).toBe(true);
    expect(nestsDeeperThan('[1],[2],[3]', 1)).toBe(false); // siblings are not depth
    expect(nestsDeeperThan(JSON.stringify({ text: '[[[[{{{{"\\' }), 1)).toBe(false);
  });
});

describe('a body nested 10,000 levels deep', () => {
  it.each([
    ['POST', '/v1/events', () => `{"name":"x","customer":${s.w.chat.customer.id},"data":{"a":${nest(10_000, '1')}}}`],
    ['POST', '/v1/events', () => `{"name":"x","customer":${s.w.chat.customer.id},"data":{"a":${nest(10_000, '"\\u0000"')}}}`],
    ['POST', '/v1/customers', () => `{"name":"x","customData":{"a":${nest(10_000, '"\\ud800"')}}}`],
    ['PUT', '/v1/chats/status', () => `{"id":${nest(100_000, '"\\u0000"')},"status":"pending"}`],
    ['POST', '/v1/chats/search', () => `{"filter":[{"field":"chats.status","operator":"=","value":${nest(500_000, '"\\ud800"')}}]}`],
  ] as const)('%s %s → 400 on body, nothing written', async (method, url, payload) => {
    const before = await fingerprint(s.t.database);
    s.t.clock.advance(1);
    expect400(await send(method, url, payload()), DEEP);
    expect(await fingerprint(s.t.database)).toEqual(before);
  });
});

describe('the limit', () => {
  const event = (depth: number) => `{"name":"deep","customer":${s.w.chat.customer.id},"data":${nest(depth - 1, '{"k":"v"}')}}`;

  it(`${MAX_BODY_DEPTH} levels (the body itself counted) are accepted; one more is refused`, async () => {
    expect((await send('POST', '/v1/events', event(MAX_BODY_DEPTH - 1))).status).toBe(200);
    expect400(await send('POST', '/v1/events', event(MAX_BODY_DEPTH)), DEEP);
  });
});
