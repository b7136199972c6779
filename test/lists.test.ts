// GET /v1/agents, /v1/departments, /v1/applications (API.md §3, §4.1, §5).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, client, type Client, type TestApp } from './helpers/app.ts';
import { expectExact } from './helpers/expect.ts';
import { factories } from './helpers/factories.ts';

let t: TestApp;
let api: Client;
let org: Awaited<ReturnType<ReturnType<typeof factories>['org']>>;
let f: ReturnType<typeof factories>;

beforeAll(async () => {
  t = await buildTestApp();
  f = factories(t.database, t.clock);
  org = await f.org({ name: 'Acme' });
  api = client(t.app, org.apiKey);
});
afterAll(() => t.close());

describe('lists', () => {
  it('GET /v1/agents: Agent with [ext] status, active, departments, capacity; deactivated agents stay listed', async () => {
    const sales = await f.department(org.id, 'Sales');
    const a1 = await f.agent(org.id, { name: 'Ann', email: 'ann@acme.test', role: 'admin', departmentId: sales.id });
    const a2 = await f.agent(org.id, { name: 'Ben', email: 'ben@acme.test', role: 'agentChatOnly', active: false });
    expectExact(await api.get('/v1/agents'), 200, {
      data: [
        { id: a1.id, name: 'Ann', email: 'ann@acme.test', role: 'admin', status: 'offline', active: true, departments: [sales.id], capacity: null },
        { id: a2.id, name: 'Ben', email: 'ben@acme.test', role: 'agentChatOnly', status: 'offline', active: false, departments: [], capacity: null },
      ],
      meta: { total: 2 },
    });
  });

  it('GET /v1/departments: {id, name, agents: AgentRef[]}', async () => {
    const res = await api.get('/v1/departments');
    expectExact(res, 200, {
      data: [{ id: res.body.data[0].id, name: 'Sales', agents: [{ id: res.body.data[0].agents[0].id, name: 'Ann', email: 'ann@acme.test', role: 'admin' }] }],
      meta: { total: 1 },
    });
  });

  it('GET /v1/applications: {id, name, displayName, active, type}', async () => {
    expectExact(await api.get('/v1/applications'), 200, {
      data: [{ id: org.applicationId, name: 'Website', displayName: 'Acme website', active: true, type: 'widget' }],
      meta: { total: 1 },
    });
  });

  it('paging: offset and limit walk every agent exactly once; total stays the full count', async () => {
    for (let i = 0; i < 5; i++) await f.agent(org.id);
    const seen: number[] = [];
    for (let offset = 0; ; offset += 3) {
      const page = (await api.get(`/v1/agents?offset=${offset}&limit=3`)).body;
      expect(page.meta.total).toBe(7);
      if (page.data.length === 0) break;
      seen.push(...page.data.map((a: { id: number }) => a.id));
    }
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });
});
