// Malformed input (issue 2): whatever arrives, the answer is the right 4xx in the envelope,
// never a 5xx, and nothing changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, client, type Client, type TestApp } from './helpers/app.ts';
import { expect400, expectError, INVALID } from './helpers/expect.ts';
import { factories } from './helpers/factories.ts';

let t: TestApp;
let api: Client;
let chatId: number;
let agentId: number;
let apiKey: string;

beforeAll(async () => {
  t = await buildTestApp();
  const f = factories(t.database, t.clock);
  const w = await f.world();
  api = client(t.app, w.org.apiKey);
  apiKey = w.org.apiKey;
  chatId = w.chat.id;
  agentId = w.agents[0].id;
});
afterAll(() => t.close());

const raw = (payload: string | Buffer, headers: Record<string, string> = {}, method: 'PUT' | 'DELETE' = 'PUT', url = '/v1/chats/assignee') =>
  t.app.inject({ method, url, payload, headers: { authorization: `Bearer ${apiKey}`, ...headers } });

const MALFORMED_JSON = { code: 'body', message: 'Malformed JSON.' };
const NOT_OBJECT = { code: 'body', message: 'This value should be of type object.' };

describe('malformed bodies on PUT /v1/chats/assignee', () => {
  it.each([['{"id": 1,'], ['not json'], ["{'id': 1}"], ['{"id": 1}}'], ['\u0000\u0001']])('%j → 400 Malformed JSON', async (body) => {
    expect400(await api.put('/v1/chats/assignee', body), MALFORMED_JSON);
  });

  it.each([['[1, 2]'], ['true'], ['42'], ['"text"'], ['null']])('JSON %s (not an object) → 400 on body', async (body) => {
    expect400(await api.put('/v1/chats/assignee', body), NOT_OBJECT);
  });

  it('no body at all → the required fields are reported', async () => {
    expect400(await api.put('/v1/chats/assignee'), { code: 'id', message: 'This value should not be blank.' }, { code: 'assignee', message: 'This field is missing.' });
  });

  it.each([
    [{ id: 1e30, assignee: null }, 'id', 'This value should be less than or equal to 2147483647.'],
    [{ id: '99999999999999999999', assignee: null }, 'id', 'This value should be less than or equal to 2147483647.'],
    [{ id: -1, assignee: null }, 'id', 'This value should be positive.'],
    [{ id: 1.5, assignee: null }, 'id', 'This value should be of type integer.'],
    [{ id: '1.5', assignee: null }, 'id', 'This value should be of type integer.'],
    [{ id: { nested: { deep: 1 } }, assignee: null }, 'id', 'This value should be of type numeric.'],
    [{ id: 1, assignee: 'abc' }, 'assignee', 'This value should be of type numeric.'],
    [{ id: 1, assignee: -3 }, 'assignee', 'This value should be positive.'],
    [{ id: 1, assignee: 2.25 }, 'assignee', 'This value should be of type integer.'],
    [{ id: 1, assignee: { id: 2 } }, 'assignee', 'This value should be of type numeric.'],
  ])('%j → 400 naming %s', async (body, code, message) => {
    expect400(await api.put('/v1/chats/assignee', body), { code, message });
  });

  it('a 2 MiB body → 413 in the envelope', async () => {
    const big = JSON.stringify({ id: chatId, assignee: agentId, padding: 'x'.repeat(2 * 1024 * 1024) });
    expectError(await api.put('/v1/chats/assignee', big), 413, INVALID, { code: 'body', message: 'Request body is too large.' });
  });

  it.each([[undefined], ['text/plain'], ['application/x-www-form-urlencoded'], ['application/json; charset=utf-8'], ['image/png']])(
    'Content-Type %s → the body is read as JSON anyway',
    async (type) => {
      const res = await raw(JSON.stringify({ id: chatId, assignee: agentId }), type ? { 'content-type': type } : {});
      expect(res.statusCode).toBe(200);
      expect(res.json().assignee.id).toBe(agentId);
    },
  );

  it('__proto__ keys are dropped like unknown fields, not merged', async () => {
    const res = await raw(`{"id": ${chatId}, "assignee": null, "__proto__": {"polluted": true}}`);
    expect(res.statusCode).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('unknown fields are ignored', async () => {
    const res = await api.put('/v1/chats/assignee', { id: chatId, assignee: null, color: 'red', extra: { a: [1] } });
    expect(res.status).toBe(200);
  });
});

describe('paths and methods', () => {
  it('a trailing slash is ignored', async () => {
    expect((await api.put('/v1/chats/assignee/', { id: chatId, assignee: null })).status).toBe(200);
    expect((await api.get(`/v1/chats/${chatId}/`)).status).toBe(200);
  });

  it.each([['GET', '/v1/nope'], ['DELETE', '/v1/chats/assignee'], ['PATCH', '/v1/chats/assignee'], ['GET', '/nope'], ['POST', '/']])('%s %s → 404 Route not found', async (method, url) => {
    const res = await t.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${apiKey}` } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ errors: [INVALID, { code: 'not_found', message: 'Route not found' }] });
  });

  it.each([['abc'], ['0'], ['-1'], ['1.5'], ['99999999999999999999'], ['%20']])('GET /v1/chats/%s → the general 404', async (id) => {
    expectError(await api.get(`/v1/chats/${id}`), 404, INVALID, { code: 'not_found', message: 'Chat not found' });
  });

  it('a malformed percent-encoding in the URL → 4xx in the envelope', async () => {
    const res = await api.get('/v1/chats/%E0%A4%A');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.errors[0]).toEqual(INVALID);
  });

  it('invalid paging values → 400 naming offset/limit', async () => {
    expect400(await api.get('/v1/agents?offset=-1&limit=x'), { code: 'offset', message: 'This value should be either positive or zero.' }, { code: 'limit', message: 'This value should be of type numeric.' });
    expect((await api.get('/v1/agents?limit=1000')).status).toBe(200);
  });
});

describe('fuzz: random JSON never yields a 5xx', () => {
  const values = [null, true, false, 0, -1, 1, 1.5, 1e308, -0, '', ' ', '1', '01', '1e3', 'abc', '\u0000', [], [1], {}, { a: 1 }, 'x'.repeat(5000)];
  it('every combination of id, assignee and expectedAssignee answers < 500 in the envelope', async () => {
    let seen4xx = 0;
    for (const id of [...values, chatId]) {
      for (const assignee of [...values, agentId]) {
        for (const expected of [undefined, null, 'x', agentId]) {
          const res = await api.put('/v1/chats/assignee', { id, assignee, ...(expected === undefined ? {} : { expectedAssignee: expected }) });
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) {
            seen4xx++;
            expect(Array.isArray(res.body.errors)).toBe(true);
            for (const e of res.body.errors) expect(Object.keys(e)).toEqual(['code', 'message']);
          }
        }
      }
    }
    expect(seen4xx).toBeGreaterThan(1500);
  });
});

describe('order of checks (API.md §5): auth → rate limit → body → fields → chat → entities → 409', () => {
  it('no key beats a malformed or oversized body', async () => {
    const res = await t.app.inject({ method: 'PUT', url: '/v1/chats/assignee', payload: '{"id":' });
    expect(res.statusCode).toBe(401);
    const big = await t.app.inject({ method: 'PUT', url: '/v1/chats/assignee', payload: 'x'.repeat(2 * 1024 * 1024) });
    expect(big.statusCode).toBe(401);
  });

  it('the rate limit beats a malformed body', async () => {
    const { factories } = await import('./helpers/factories.ts');
    const limited = await factories(t.database, t.clock).org({ rateLimitPerMinute: 1 });
    const lapi = client(t.app, limited.apiKey);
    expect((await lapi.put('/v1/chats/assignee', '{"id":')).status).toBe(400);
    expect((await lapi.put('/v1/chats/assignee', '{"id":')).status).toBe(429);
  });

  it('field shapes beat an unknown chat; the chat beats an unknown agent', async () => {
    expect((await api.put('/v1/chats/assignee', { id: 987654, assignee: 'x' })).status).toBe(400);
    expect((await api.put('/v1/chats/assignee', { id: 987654, assignee: 987654 })).status).toBe(404);
  });
});

describe('slow clients (API.md §5)', () => {
  it('headers must arrive within 30 s and the whole request within 60 s', () => {
    expect(t.app.server.headersTimeout).toBe(30_000);
    expect(t.app.server.requestTimeout).toBe(60_000);
  });
});
