// The client's 429 retry and its transport, against a tiny local HTTP server that answers what
// each test scripts (a real server would make the test wait a minute for its window): a 429
// with `Retry-After: 1` is retried once the second has passed, a POST included, its body sent
// again unchanged; retries are bounded and can be turned off; no other status is retried.
// Also: the base URL is an origin the `/v1` paths are appended to, so the same client speaks
// to HelpCrunch (`https://api.helpcrunch.com`); the key is sent as a Bearer token.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { HandoffApiError, HandoffClient } from 'handoff/client';

interface Seen {
  at: number;
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}
type Answer = { status: number; headers?: Record<string, string>; body: unknown };

let server: Server;
let base: string;
let script: Answer[] = [];
let seen: Seen[] = [];

const TOO_MANY = {
  status: 429,
  headers: { 'retry-after': '1' },
  body: { errors: [{ code: 'invalid_request', message: 'Invalid request' }, { code: 'too_many_requests', message: 'Too many requests' }] },
};
const read = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let text = '';
    req.on('data', (c) => (text += c)).on('end', () => resolve(text));
  });

beforeAll(async () => {
  server = createServer(async (req, res) => {
    seen.push({ at: Date.now(), method: req.method!, url: req.url!, authorization: req.headers.authorization, body: await read(req) });
    const answer = script.shift() ?? { status: 200, body: { data: [], meta: { total: 0 } } };
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => {
  script = [];
  seen = [];
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it('a 429 with Retry-After: 1 is retried after the second, and the answer returned', async () => {
  script = [TOO_MANY, { status: 200, body: { data: { id: 7, domain: 'x', teamOnline: true, chatEnabled: true } } }];
  const handoff = new HandoffClient({ apiKey: 'hk_test', baseUrl: base });
  const started = Date.now();
  const org = await handoff.organization.get();
  expect(org.data.id).toBe(7);
  expect(seen).toHaveLength(2); // one retry
  expect(seen[1].at - seen[0].at).toBeGreaterThanOrEqual(1_000);
  expect(Date.now() - started).toBeLessThan(2_500);
});

it('a POST is retried after 429 too (the request was not processed), its body sent again', async () => {
  const chat = { id: 1, status: 'empty' };
  script = [TOO_MANY, { status: 201, body: chat }];
  const handoff = new HandoffClient({ apiKey: 'hk_test', baseUrl: base });
  expect(await handoff.chats.create({ customer: 3, application: 4 })).toEqual(chat);
  expect(seen.map((s) => [s.method, s.url, s.body])).toEqual([
    ['POST', '/v1/chats', '{"customer":3,"application":4}'],
    ['POST', '/v1/chats', '{"customer":3,"application":4}'],
  ]);
});

it('retries are bounded: maxRetries + 1 requests, then the 429 is thrown with retryAfter', async () => {
  const now = { ...TOO_MANY, headers: { 'retry-after': '0' } };
  script = [now, now, now, now, now];
  const handoff = new HandoffClient({ apiKey: 'hk_test', baseUrl: base, maxRetries: 3 });
  const err = await handoff.agents.list().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(HandoffApiError);
  expect(err).toMatchObject({ status: 429, retryAfter: 0 });
  expect((err as HandoffApiError).has('too_many_requests')).toBe(true);
  expect(seen).toHaveLength(4);
});

it('maxRetries: 0 turns retrying off', async () => {
  script = [TOO_MANY];
  const handoff = new HandoffClient({ apiKey: 'hk_test', baseUrl: base, maxRetries: 0 });
  const err = (await handoff.agents.list().catch((e: unknown) => e)) as HandoffApiError;
  expect([err.status, err.retryAfter]).toEqual([429, 1]);
  expect(seen).toHaveLength(1);
});

it('no other status is retried: a 503 or a 500 is thrown at once', async () => {
  script = [
    { status: 503, headers: { 'retry-after': '0' }, body: { errors: [{ code: 'unavailable', message: 'Unavailable' }] } },
    { status: 500, body: { errors: [{ code: 'internal_error', message: 'Internal error' }] } },
  ];
  const handoff = new HandoffClient({ apiKey: 'hk_test', baseUrl: base });
  expect(await handoff.chats.get(1).catch((e: HandoffApiError) => [e.status, e.errors[0].code])).toEqual([503, 'unavailable']);
  expect(await handoff.messages.create({ chat: 1, text: 'x' }).catch((e: HandoffApiError) => [e.status, e.errors[0].code])).toEqual([500, 'internal_error']);
  expect(seen).toHaveLength(2);
});

it('an answer without an envelope is still a HandoffApiError, with no items', async () => {
  script = [{ status: 502, body: 'bad gateway' }];
  const handoff = new HandoffClient({ apiKey: 'hk_test', baseUrl: base });
  const err = (await handoff.chats.get(1).catch((e: unknown) => e)) as HandoffApiError;
  expect([err.status, err.errors, err.field('id')]).toEqual([502, [], undefined]);
});

it('HelpCrunch: the base URL is an origin, /v1 paths appended; the key is a Bearer token; the query is encoded', async () => {
  const urls: string[] = [];
  const headers: Record<string, string>[] = [];
  const fake: typeof fetch = async (input, init) => {
    urls.push(String(input));
    headers.push(init?.headers as Record<string, string>);
    return new Response(JSON.stringify({ data: [], meta: { total: 0 } }), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  const helpcrunch = new HandoffClient({ apiKey: 'hc key', baseUrl: 'https://api.helpcrunch.com/', fetch: fake });
  await helpcrunch.chats.list({ offset: 0, limit: 50, sort: 'chats.createdAt', order: 'desc' });
  await helpcrunch.departments.list();
  expect(urls).toEqual([
    'https://api.helpcrunch.com/v1/chats?offset=0&limit=50&sort=chats.createdAt&order=desc',
    'https://api.helpcrunch.com/v1/departments',
  ]);
  expect(headers[0].authorization).toBe('Bearer hc key');
  const local = new HandoffClient({ apiKey: 'k', fetch: fake });
  await local.agents.list();
  expect(urls[2]).toBe('http://127.0.0.1:8080/v1/agents');
  // a path prefix in front of /v1 (a reverse proxy) is kept
  await new HandoffClient({ apiKey: 'k', baseUrl: 'https://example.test/support', fetch: fake }).applications.list();
  expect(urls[3]).toBe('https://example.test/support/v1/applications');
});
