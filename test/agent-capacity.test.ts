// PUT /v1/agents/{id} [ext]: an agent's own routing capacity (null = the policy's), and the
// Agent's [ext] `capacity` key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, client, T0, type TestApp } from './helpers/app.ts';
import { expect400, expectError, expectExact, INVALID } from './helpers/expect.ts';
import { waitingChat } from './helpers/routing.ts';
import { factories } from './helpers/factories.ts';

const NOT_FOUND = { code: 'not_found', message: 'Agent not found' };

let t: TestApp;
let f: ReturnType<typeof factories>;

beforeAll(async () => {
  t = await buildTestApp();
  f = factories(t.database, t.clock);
});
afterAll(() => t.close());

async function orgWithAgent() {
  const org = await f.org();
  const agent = await f.agent(org.id, { name: 'Ann', email: `ann${org.id}@acme.test` });
  await t.database.write((trx) => trx.deleteFrom('routing_jobs').where('organization_id', '=', org.id).execute());
  return { org, api: client(t.app, org.apiKey), agent };
}

const jobs = (orgId: number) => t.database.db.selectFrom('routing_jobs').select(['kind', 'due_at']).where('organization_id', '=', orgId).execute();
const stored = async (agentId: number) =>
  (await t.database.db.selectFrom('agents').select('capacity').where('id', '=', agentId).executeTakeFirstOrThrow()).capacity;

describe('PUT /v1/agents/{id}', () => {
  it('sets the capacity: 200 with the Agent, capacity last; GET /v1/agents shows it', async () => {
    const { api, agent } = await orgWithAgent();
    const res = await api.put(`/v1/agents/${agent.id}`, { capacity: 3 });
    expectExact(res, 200, { id: agent.id, name: 'Ann', email: agent.email, role: 'agent', status: 'offline', active: true, departments: [], capacity: 3 });
    expect((await api.get('/v1/agents')).body.data[0].capacity).toBe(3);
    expect(await stored(agent.id)).toBe(3);
  });

  it('a digit string is an integer (API.md §1); null goes back to the policy', async () => {
    const { api, agent } = await orgWithAgent();
    expect((await api.put(`/v1/agents/${agent.id}`, { capacity: '12' })).body.capacity).toBe(12);
    expect((await api.put(`/v1/agents/${agent.id}`, { capacity: null })).body.capacity).toBeNull();
    expect(await stored(agent.id)).toBeNull();
  });

  it('an absent capacity changes nothing; other keys are ignored, never stored', async () => {
    const { api, agent } = await orgWithAgent();
    await api.put(`/v1/agents/${agent.id}`, { capacity: 2 });
    for (const body of [{}, undefined, { name: 'Mallory', email: 'm@evil.test', role: 'admin', status: 'online', active: false }]) {
      const res = await api.put(`/v1/agents/${agent.id}`, body);
      expectExact(res, 200, { id: agent.id, name: 'Ann', email: agent.email, role: 'agent', status: 'offline', active: true, departments: [], capacity: 2 });
    }
  });

  it('a capacity that is not an integer ≥ 1 → 400 naming capacity; nothing stored', async () => {
    const { api, agent } = await orgWithAgent();
    const cases: Array<[unknown, string]> = [
      [0, 'This value should be positive.'],
      [-2, 'This value should be positive.'],
      ['-2', 'This value should be positive.'],
      [1.5, 'This value should be of type integer.'],
      ['2.0', 'This value should be of type integer.'],
      ['three', 'This value should be of type numeric.'],
      [true, 'This value should be of type numeric.'],
      [[3], 'This value should be of type numeric.'],
      ['', 'This value should not be blank.'],
      [2_147_483_648, 'This value should be less than or equal to 2147483647.'],
      [1e30, 'This value should be less than or equal to 2147483647.'],
    ];
    for (const [capacity, message] of cases) expect400(await api.put(`/v1/agents/${agent.id}`, { capacity }), { code: 'capacity', message });
    expect(await stored(agent.id)).toBeNull();
    expect(await jobs((await api.get('/v1/organization')).body.data.id)).toEqual([]);
  });

  it('the largest capacity a column holds is accepted', async () => {
    const { api, agent } = await orgWithAgent();
    expect((await api.put(`/v1/agents/${agent.id}`, { capacity: 2_147_483_647 })).body.capacity).toBe(2_147_483_647);
  });

  it('unknown, foreign or non-numeric id → the general 404; field shapes come first', async () => {
    const { api } = await orgWithAgent();
    const other = await orgWithAgent();
    for (const id of [99_999_999, other.agent.id, 'abc']) {
      expectError(await api.put(`/v1/agents/${id}`, { capacity: 4 }), 404, INVALID, NOT_FOUND);
    }
    expect(await stored(other.agent.id)).toBeNull();
    expect400(await api.put('/v1/agents/99999999', { capacity: 0 }), { code: 'capacity', message: 'This value should be positive.' });
  });

  it('a deactivated agent keeps the setting for when they come back', async () => {
    const { org, api } = await orgWithAgent();
    const gone = await f.agent(org.id, { active: false });
    const res = await api.put(`/v1/agents/${gone.id}`, { capacity: 5 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ active: false, capacity: 5 });
  });

  it('a change drains the queue (seats may be free); the same value again schedules nothing; no event', async () => {
    const { org, api, agent } = await orgWithAgent();
    await api.put(`/v1/agents/${agent.id}`, { capacity: 2 });
    expect(await jobs(org.id)).toEqual([]); // nobody waits: nothing to drain
    await waitingChat(t.database, await f.chat(org.id, { applicationId: org.applicationId }), T0);
    t.clock.set(T0 + 30);
    await api.put(`/v1/agents/${agent.id}`, { capacity: 4 });
    expect(await jobs(org.id)).toEqual([{ kind: 'drain', due_at: T0 + 30 }]);
    await t.database.write((trx) => trx.deleteFrom('routing_jobs').where('organization_id', '=', org.id).execute());
    await api.put(`/v1/agents/${agent.id}`, { capacity: '4' });
    await api.put(`/v1/agents/${agent.id}`, {});
    expect(await jobs(org.id)).toEqual([]);
    await api.put(`/v1/agents/${agent.id}`, { capacity: null });
    expect(await jobs(org.id)).toEqual([{ kind: 'drain', due_at: T0 + 30 }]);
    // no event of the agent's (the waiting chat's own customer.new and chat.new aside)
    const events = await t.database.db.selectFrom('outbox').select('event').where('organization_id', '=', org.id).where('event', 'like', 'agent.%').execute();
    expect(events).toEqual([]);
    t.clock.set(T0);
  });
});
