// The checks every /v1 route must pass, written once and run for every route (DESIGN rule 9):
// no key, bad key, revoked key → 401; over the limit → 429; malformed body → 400; another
// organization's id → exactly the answer a missing id gets, and nothing changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, revokeKey } from '../src/modules/api-keys/api-keys.service.ts';
import { createGuard } from '../src/modules/webhooks/guard.ts';
import { createWebhookBody } from '../src/modules/webhooks/webhooks.schema.ts';
import { createWebhook } from '../src/modules/webhooks/webhooks.service.ts';
import { buildTestApp, client, type TestApp } from './helpers/app.ts';
import { expectError, INVALID } from './helpers/expect.ts';
import { factories } from './helpers/factories.ts';

type World = Awaited<ReturnType<ReturnType<typeof factories>['world']>>;
interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: (w: World) => string;
  body?: (w: World) => unknown;
  /** the same request aimed at a missing / foreign entity, when the route names one */
  missing?: (w: World, id: number) => { path: string; body?: unknown };
  /** which entity `missing` names (default: a chat) */
  foreign?: 'customer' | 'agent' | 'webhook' | 'department';
  /**
   * what the sample request answers with a valid key when it cannot succeed on the test world
   * (rating needs a closed chat with an agent message): proof it got past auth and routing
   */
  okStatus?: number;
}

const passed = (route: Route, status: number) => (route.okStatus ? status === route.okStatus : status < 300);

/** the world's customer (`:id` while naming the routes) */
const customerOf = (w: World) => w.chat.customer?.id ?? ':id';
/** customers DELETE /v1/customers/{id} may remove without breaking the other checks, by organization */
const spares = new Map<number, number[]>();
const spareCustomer = (w: World) => spares.get(w.org?.id)?.pop() ?? customerOf(w);
/** each organization's webhook subscription, and spares for DELETE /v1/webhooks/{id} */
const hooks = new Map<number, number[]>();
const hookOf = (w: World) => hooks.get(w.org?.id)?.[0] ?? ':id';
const spareHook = (w: World) => (hooks.get(w.org?.id)?.length ?? 0) > 1 ? hooks.get(w.org.id)!.pop()! : hookOf(w);
/** each organization's department (the organizations the rate-limit check makes have none: any id does there) */
const departments = new Map<number, number>();
const departmentOf = (w: World) => departments.get(w.org?.id) ?? ':id';
const agentOf = (w: World) => w.agents?.[0].id ?? ':id';

const change = (path: string, value: (w: World) => Record<string, unknown>, okStatus?: number): Route => ({
  method: 'PUT',
  path: () => path,
  body: (w) => ({ id: w.chat.id, ...value(w) }),
  missing: (w, id) => ({ path, body: { id, ...value(w) } }),
  okStatus,
});

const ROUTES: Route[] = [
  change('/v1/chats/status', () => ({ status: 'pending' })),
  change('/v1/chats/department', () => ({ department: null })),
  change('/v1/chats/snooze', () => ({ snoozedUntil: null })),
  change('/v1/chats/rate', () => ({ rating: 'great' }), 400),
  change('/v1/chats/readByAgent', () => ({ read: true })),
  change('/v1/chats/readByCustomer', () => ({ read: true })),
  change('/v1/chats/read', () => ({ read: false })),
  {
    method: 'POST',
    path: () => '/v1/messages',
    body: (w) => ({ chat: w.chat.id, text: 'Route check' }),
    missing: (_, id) => ({ path: '/v1/messages', body: { chat: id, text: 'Route check' } }),
  },
  { method: 'GET', path: (w) => `/v1/chats/${w.chat.id}/messages`, missing: (_, id) => ({ path: `/v1/chats/${id}/messages` }) },
  {
    method: 'PUT',
    path: () => '/v1/chats/assignee',
    body: (w) => ({ id: w.chat.id, assignee: w.agents[0].id }),
    missing: (w, id) => ({ path: '/v1/chats/assignee', body: { id, assignee: null } }),
  },
  { method: 'GET', path: (w) => `/v1/chats/${w.chat.id}`, missing: (_, id) => ({ path: `/v1/chats/${id}` }) },
  {
    method: 'GET',
    path: (w) => `/v1/chats/${w.chat.id}/assignments`,
    missing: (_, id) => ({ path: `/v1/chats/${id}/assignments` }),
  },
  {
    method: 'POST',
    path: () => '/v1/chats',
    body: (w) => ({ customer: w.chat.customer.id, application: w.org.applicationId }),
    missing: (w, id) => ({ path: '/v1/chats', body: { customer: id, application: w.org.applicationId } }),
    foreign: 'customer',
  },
  { method: 'POST', path: () => '/v1/customers', body: () => ({ name: 'Route check' }) },
  { method: 'GET', path: () => '/v1/chats' },
  { method: 'POST', path: () => '/v1/chats/search', body: () => ({ filter: [{ field: 'chats.status', operator: '=', value: 'empty' }] }) },
  { method: 'GET', path: () => '/v1/agents' },
  { method: 'GET', path: () => '/v1/departments' },
  { method: 'GET', path: () => '/v1/applications' },
  { method: 'GET', path: () => '/v1/customers' },
  { method: 'GET', path: (w) => `/v1/customers/${customerOf(w)}`, missing: (_, id) => ({ path: `/v1/customers/${id}` }), foreign: 'customer' },
  { method: 'POST', path: () => '/v1/customers/search', body: () => ({ filter: [{ field: 'customers.name', operator: '~', value: 'a' }] }) },
  ...(['PUT', 'PATCH'] as const).map((method): Route => ({
    method,
    path: (w) => `/v1/customers/${customerOf(w)}`,
    body: () => ({ name: 'Route check' }),
    missing: (_, id) => ({ path: `/v1/customers/${id}`, body: { name: 'Route check' } }),
    foreign: 'customer',
  })),
  {
    method: 'PUT',
    path: () => '/v1/customers/batch',
    body: (w) => [{ customer: w.chat.customer.id, name: 'Route check' }],
    missing: (_, id) => ({ path: '/v1/customers/batch', body: [{ customer: id, name: 'Route check' }] }),
    foreign: 'customer',
  },
  { method: 'DELETE', path: (w) => `/v1/customers/${spareCustomer(w)}`, missing: (_, id) => ({ path: `/v1/customers/${id}` }), foreign: 'customer' },
  ...(['PUT', 'DELETE'] as const).map((method): Route => ({
    method,
    path: (w) => `/v1/customers/${customerOf(w)}/tags`,
    body: () => ({ tags: [{ name: 'route-check' }] }),
    missing: (_, id) => ({ path: `/v1/customers/${id}/tags`, body: { tags: [{ name: 'route-check' }] } }),
    foreign: 'customer',
  })),
  {
    method: 'POST',
    path: () => '/v1/events',
    body: (w) => ({ name: 'route_check', customer: w.chat.customer.id }),
    missing: (_, id) => ({ path: '/v1/events', body: { name: 'route_check', customer: id } }),
    foreign: 'customer',
  },
  { method: 'GET', path: (w) => `/v1/customers/${customerOf(w)}/events`, missing: (_, id) => ({ path: `/v1/customers/${id}/events` }), foreign: 'customer' },
  { method: 'GET', path: (w) => `/v1/agents/${w.agents?.[0].id ?? ':id'}/unsubscribe`, missing: (_, id) => ({ path: `/v1/agents/${id}/unsubscribe` }), foreign: 'agent' },
  { method: 'GET', path: () => '/v1/organization' },
  // [ext] presence, an agent's own capacity, routing policies (API.md §4.6, §4.7)
  {
    method: 'PUT',
    path: (w) => `/v1/agents/${agentOf(w)}/status`,
    body: () => ({ status: 'online' }),
    missing: (_, id) => ({ path: `/v1/agents/${id}/status`, body: { status: 'online' } }),
    foreign: 'agent',
  },
  {
    method: 'PUT',
    path: (w) => `/v1/agents/${agentOf(w)}`,
    body: () => ({ capacity: 3 }),
    missing: (_, id) => ({ path: `/v1/agents/${id}`, body: { capacity: 3 } }),
    foreign: 'agent',
  },
  { method: 'POST', path: (w) => `/v1/chats/${w.chat?.id ?? ':id'}/route`, body: () => ({ dryRun: true }), missing: (_, id) => ({ path: `/v1/chats/${id}/route`, body: { dryRun: true } }) },
  { method: 'GET', path: () => '/v1/organization/queue' },
  { method: 'GET', path: () => '/v1/organization/routing' },
  { method: 'PUT', path: () => '/v1/organization/routing', body: () => ({ capacity: 5 }) },
  { method: 'GET', path: (w) => `/v1/departments/${departmentOf(w)}/routing`, missing: (_, id) => ({ path: `/v1/departments/${id}/routing` }), foreign: 'department' },
  {
    method: 'PUT',
    path: (w) => `/v1/departments/${departmentOf(w)}/routing`,
    body: () => ({ sticky: true }),
    missing: (_, id) => ({ path: `/v1/departments/${id}/routing`, body: { sticky: true } }),
    foreign: 'department',
  },
  // [ext] the inbox's routes (docs/inbox.md), with an API key here; sessions: inbox-*.test.ts
  { method: 'GET', path: () => '/v1/organization/settings' },
  { method: 'PUT', path: () => '/v1/organization/settings', body: () => ({ agentsMayReassign: false }) },
  { method: 'GET', path: () => '/v1/inbox/agents' },
  { method: 'GET', path: () => '/v1/inbox/chats?view=unassigned&q=example' },
  { method: 'GET', path: () => '/v1/webhooks' },
  // The SSRF guard is on here: a loopback URL is refused with a 400 naming `url`, proof the
  // request got past auth, rate limit and parsing (ssrf.test.ts covers the refusal itself).
  { method: 'POST', path: () => '/v1/webhooks', body: () => ({ url: 'http://127.0.0.1:9/route-check', events: ['*'] }), okStatus: 400 },
  { method: 'GET', path: (w) => `/v1/webhooks/${hookOf(w)}`, missing: (_, id) => ({ path: `/v1/webhooks/${id}` }), foreign: 'webhook' },
  { method: 'GET', path: (w) => `/v1/webhooks/${hookOf(w)}/deliveries`, missing: (_, id) => ({ path: `/v1/webhooks/${id}/deliveries` }), foreign: 'webhook' },
  { method: 'DELETE', path: (w) => `/v1/webhooks/${spareHook(w)}`, missing: (_, id) => ({ path: `/v1/webhooks/${id}` }), foreign: 'webhook' },
];

let t: TestApp;
let f: ReturnType<typeof factories>;
let a: World;
let b: World;

beforeAll(async () => {
  t = await buildTestApp();
  f = factories(t.database, t.clock);
  a = await f.world();
  b = await f.world();
  for (const w of [a, b]) {
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) ids.push((await f.customer(w.org.id)).id);
    spares.set(w.org.id, ids);
    const hookIds: number[] = [];
    for (let i = 0; i < 12; i++) {
      const input = createWebhookBody.parse({ url: `http://127.0.0.1:9/route-check/${i}` });
      hookIds.push((await createWebhook(t.database, t.clock, createGuard({ allowPrivate: true }), w.org.id, input)).id);
    }
    hooks.set(w.org.id, hookIds);
    departments.set(w.org.id, (await f.department(w.org.id)).id);
  }
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
      const foreignIds = { customer: b.chat.customer.id, agent: b.agents[0].id, webhook: Number(hookOf(b)), department: Number(departmentOf(b)) };
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
