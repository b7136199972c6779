// API.md §1/§5: 120 requests per minute per organization by default, a fixed window, the
// RateLimit-* headers on every response, 429 with Retry-After; 401s count against no one.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, client, type TestApp } from './helpers/app.ts';
import { expectError, INVALID } from './helpers/expect.ts';
import { factories } from './helpers/factories.ts';
import { VERSION } from '../src/version.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

it('the 121st request in a minute answers 429 with Retry-After; another organization is unaffected', async () => {
  const f = factories(t.database, t.clock);
  const limited = await f.org({ rateLimitPerMinute: null }); // the server default: 120
  const other = await f.org({ rateLimitPerMinute: null });
  const agent = await f.agent(limited.id);
  const chat = await f.chat(limited.id, { applicationId: limited.applicationId });
  const api = client(t.app, limited.apiKey);

  // Unauthenticated attempts count against no organization.
  for (let i = 0; i < 5; i++) expect((await client(t.app, 'hk_bad').get('/v1/agents')).status).toBe(401);

  // A second key of the same organization shares its counter.
  const { createApiKey } = await import('../src/modules/api-keys/api-keys.service.ts');
  const second = client(t.app, (await createApiKey(t.database, t.clock, limited.id)).apiKey);
  for (let i = 1; i <= 120; i++) {
    const res = i % 2 ? await api.put('/v1/chats/assignee', { id: chat.id, assignee: i % 4 === 1 ? agent.id : null }) : await second.get('/v1/agents');
    expect(res.status).toBe(200);
    expect(res.headers['ratelimit-limit']).toBe('120');
    expect(res.headers['ratelimit-remaining']).toBe(String(120 - i));
    expect(Number(res.headers['ratelimit-reset'])).toBeGreaterThan(0);
    expect(Number(res.headers['ratelimit-reset'])).toBeLessThanOrEqual(60);
  }
  const refused = await api.put('/v1/chats/assignee', { id: chat.id, assignee: agent.id });
  expectError(refused, 429, INVALID, { code: 'too_many_requests', message: 'Too many requests' });
  const retryAfter = Number(refused.headers['retry-after']);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(refused.headers['ratelimit-remaining']).toBe('0');
  // The refused request changed nothing.
  const history = await api.get(`/v1/chats/${chat.id}/assignments`);
  expect(history.status).toBe(429);
  const rows = await t.database.db.selectFrom('assignments').select('id').where('chat_id', '=', chat.id).execute();
  expect(rows).toHaveLength(60);

  const res = await client(t.app, other.apiKey).get('/v1/agents');
  expect(res.status).toBe(200);
  expect(res.headers['ratelimit-remaining']).toBe('119');
});

it("an organization's own limit overrides the default", async () => {
  const f = factories(t.database, t.clock);
  const org = await f.org({ rateLimitPerMinute: 3 });
  const api = client(t.app, org.apiKey);
  for (let i = 0; i < 3; i++) expect((await api.get('/v1/agents')).headers['ratelimit-limit']).toBe('3');
  expect((await api.get('/v1/agents')).status).toBe(429);
});

it('health checks are not rate limited and need no key', async () => {
  for (let i = 0; i < 3; i++) {
    const res = await client(t.app, null).get('/health/live');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  }
  expect((await client(t.app, null).get('/health/ready')).body).toEqual({ status: 'ok', version: VERSION });
});

it('routes given to buildApp sit behind the same authentication and rate limit (what the bench floor measures)', async () => {
  // bench/app-floor-server.ts swaps the chat routes for answers from memory; its numbers only
  // bound the real server if everything around the routes is still applied to them.
  const floor = await buildTestApp({ routes: [(app) => app.get('/v1/chats/:id', async () => ({ id: 1 }))] });
  try {
    const org = await factories(floor.database, floor.clock).org({ rateLimitPerMinute: 2 });
    expectError(await client(floor.app, null).get('/v1/chats/1'), 401, INVALID, { code: 'unauthorized', message: 'Unauthorized' });
    const api = client(floor.app, org.apiKey);
    const first = await api.get('/v1/chats/1');
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ id: 1 });
    expect(first.headers['ratelimit-remaining']).toBe('1');
    expect(first.headers['x-request-id']).toBeTruthy();
    expect((await api.get('/v1/chats/1')).status).toBe(200);
    expect((await api.get('/v1/chats/1')).status).toBe(429);
    expect((await api.get('/v1/agents')).status).toBe(404); // only the given routes exist
  } finally {
    await floor.close();
  }
});
