// Tenant isolation (issue 2): organization B's key cannot see or change anything of A's, and
// gets exactly the answers a missing id gets. Keys are never stored in clear.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, client, type TestApp } from './helpers/app.ts';
import { expect400, expectError } from './helpers/expect.ts';
import { factories } from './helpers/factories.ts';

let t: TestApp;
let a: Awaited<ReturnType<ReturnType<typeof factories>['world']>>;
let b: Awaited<ReturnType<ReturnType<typeof factories>['world']>>;

beforeAll(async () => {
  t = await buildTestApp();
  const f = factories(t.database, t.clock);
  a = await f.world();
  b = await f.world();
  await client(t.app, a.org.apiKey).put('/v1/chats/assignee', { id: a.chat.id, assignee: a.agents[0].id });
});
afterAll(() => t.close());

const snapshot = async () => ({
  chat: (await client(t.app, a.org.apiKey).get(`/v1/chats/${a.chat.id}`)).body,
  history: (await client(t.app, a.org.apiKey).get(`/v1/chats/${a.chat.id}/assignments`)).body,
  outbox: await t.database.db.selectFrom('outbox').select(['id']).where('organization_id', '=', a.org.id).execute(),
});

describe('tenant isolation', () => {
  it("B assigning A's chat → the not_fount 404, nothing of A changes", async () => {
    const before = await snapshot();
    expectError(await client(t.app, b.org.apiKey).put('/v1/chats/assignee', { id: a.chat.id, assignee: b.agents[0].id }), 404, {
      code: 'not_fount',
      message: `Chat for ID "${a.chat.id}" was not found`,
    });
    expect(await snapshot()).toEqual(before);
  });

  it("B assigning its own chat to A's agent → the assignee 400, nothing changes", async () => {
    const before = await snapshot();
    expect400(await client(t.app, b.org.apiKey).put('/v1/chats/assignee', { id: b.chat.id, assignee: a.agents[1].id }), {
      code: 'assignee',
      message: `Agent for ID "${a.agents[1].id}" was not found`,
    });
    expect((await client(t.app, b.org.apiKey).get(`/v1/chats/${b.chat.id}`)).body.assignee).toBeNull();
    expect(await snapshot()).toEqual(before);
  });

  it("B reading A's chat or its history → the general 404", async () => {
    for (const path of [`/v1/chats/${a.chat.id}`, `/v1/chats/${a.chat.id}/assignments`]) {
      expectError(await client(t.app, b.org.apiKey).get(path), 404, { code: 'invalid_request', message: 'Invalid request' }, { code: 'not_found', message: 'Chat not found' });
    }
  });

  it("lists show only the caller's own agents, departments and applications", async () => {
    const agents = (await client(t.app, b.org.apiKey).get('/v1/agents')).body;
    expect(agents.data.map((x: { id: number }) => x.id).sort()).toEqual(b.agents.map((x) => x.id).sort());
    expect(agents.meta.total).toBe(3);
    const apps = (await client(t.app, b.org.apiKey).get('/v1/applications')).body;
    expect(apps.data.map((x: { id: number }) => x.id)).toEqual([b.org.applicationId]);
  });

  it('the api_keys table holds no key in clear, only a SHA-256 hash and a short prefix', async () => {
    const rows = await t.database.db.selectFrom('api_keys').selectAll().execute();
    expect(rows.length).toBeGreaterThanOrEqual(2);
    const dump = JSON.stringify(rows);
    for (const key of [a.org.apiKey, b.org.apiKey]) {
      expect(dump).not.toContain(key);
      expect(dump).not.toContain(key.slice(3)); // nor its secret part
    }
    for (const row of rows) {
      expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.prefix.length).toBeLessThanOrEqual(9);
    }
  });
});
