// The checks every /v1 route must pass, written once and run for every route (DESIGN rule 9):
// no key, bad key, revoked key → 401; over the limit → 429; malformed body → 400; another
// organization's id → exactly the answer a missing id gets, and nothing changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, revokeKey } from '../src/modules/api-keys/api-keys.service.ts';
import { buildTestApp, client, type TestApp } from './helpers/app.ts';
import { expectError, INVALID } from './helpers/expect.ts';
import { factories } from './helpers/factories.ts';
import { hookOf, departmentOf, routeWorld, sessionOf } from './helpers/route-world.ts';
import { KEY_ROUTES as ROUTES, passed, type Route, type World } from './helpers/routes.ts';

let t: TestApp;
let f: ReturnType<typeof factories>;
let a: World;
let b: World;

beforeAll(async () => {
  t = await buildTestApp();
  f = factories(t.database, t.clock);
  a = await routeWorld(t);
  b = await routeWorld(t);
});
afterAll(() => t.close());

const UNAUTHORIZED = [INVALID, { code: 'unauthorized', message: 'Unauthorized' }];
const send = (key: string | null, method: Route['method'], path: string, body?: unknown, headers?: Record<string, string>) => {
  const c = client(t.app, key);
  if (method === 'GET') return c.get(path, headers);
  const by = { POST: c.post, PUT: c.put, PATCH: c.patch, DELETE: c.delete }[method];
  return by(path, body, headers);
};

describe.each(ROUTES.map((r) => [`${r.method} ${r.path({ chat: { id: ':id' } } as never)}`, r] as const))('%s', (_, route) => {
  it('works with a valid key (the sample request is right)', async () => {
    const res = await send(a.org.apiKey, route.method, route.path(a), route.body?.(a));
    expect(passed(route, res.status)).toBe(true);
    expect(res.headers['ratelimit-limit']).toBeDefined();
  });

  it('no key, a wrong key, a malformed header, a revoked key → 401 in the envelope', async () => {
    for (const key of [null, 'hk_0000000000000000000000000000000000000000', '']) {
      expectError(await send(key, route.method, route.path(a), route.body?.(a)), 401, ...UNAUTHORIZED);
    }
    expectError(await send(null, route.method, route.path(a), route.body?.(a), { authorization: `Basic ${a.org.apiKey}` }), 401, ...UNAUTHORIZED);
  });

  if (route.body) {
    it('malformed JSON → 400 in the envelope', async () => {
      expectError(await send(a.org.apiKey, route.method, route.path(a), '{"id": 1,'), 400, INVALID, { code: 'body', message: 'Malformed JSON.' });
    });
  }

  if (route.missing) {
    it("another organization's id gets exactly the answer of a missing id, and changes nothing", async () => {
      const foreignIds = { customer: b.chat.customer.id, agent: b.agents[0].id, webhook: Number(hookOf(b)), department: Number(departmentOf(b)), session: Number(sessionOf(b)) };
      const foreignId = route.foreign ? foreignIds[route.foreign] : b.chat.id;
      const missingId = 99_999_999;
      const before = await client(t.app, b.org.apiKey).get(`/v1/chats/${b.chat.id}`);
      const foreign = route.missing!(a, foreignId);
      const missing = route.missing!(a, missingId);
      const rf = await send(a.org.apiKey, route.method, foreign.path, foreign.body);
      const rm = await send(a.org.apiKey, route.method, missing.path, missing.body);
      expect(rf.status).toBeGreaterThanOrEqual(400);
      expect(rf.status).toBe(rm.status);
      expect(rf.text.replaceAll(String(foreignId), 'ID')).toBe(rm.text.replaceAll(String(missingId), 'ID'));
      expect((await client(t.app, b.org.apiKey).get(`/v1/chats/${b.chat.id}`)).body).toEqual(before.body);
    });
  }

  it('over the organization limit → 429 with Retry-After; another organization is unaffected', async () => {
    const limited = await f.org({ rateLimitPerMinute: 1 });
    const w = { ...a, org: limited, chat: await f.chat(limited.id, { applicationId: limited.applicationId }), agents: [await f.agent(limited.id)] };
    await send(limited.apiKey, route.method, route.path(w), route.body?.(w));
    const res = await send(limited.apiKey, route.method, route.path(w), route.body?.(w));
    expectError(res, 429, INVALID, { code: 'too_many_requests', message: 'Too many requests' });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(passed(route, (await send(b.org.apiKey, route.method, route.path(b), route.body?.(b))).status)).toBe(true);
  });
});

it('a revoked key is refused on every route within 5 s (API.md §5)', async () => {
  const key = await createApiKey(t.database, t.clock, a.org.id);
  for (const route of ROUTES) expect(passed(route, (await send(key.apiKey, route.method, route.path(a), route.body?.(a))).status)).toBe(true);
  await revokeKey(t.database, t.clock, a.org.id, key.id);
  await new Promise((r) => setTimeout(r, 2_100)); // the key cache's lifetime
  for (const route of ROUTES) expectError(await send(key.apiKey, route.method, route.path(a), route.body?.(a)), 401, ...UNAUTHORIZED);
});
