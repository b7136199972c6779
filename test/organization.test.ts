// GET /v1/organization, GET /v1/agents/{id}/unsubscribe, and the agents list's [ext] fields
// (API.md §3 Agent and Organization, §4.1, §4.4, §5).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, client, type Client, type TestApp } from './helpers/app.ts';
import { expectError, expectExact, INVALID } from './helpers/expect.ts';
import { factories } from './helpers/factories.ts';

let t: TestApp;
let f: ReturnType<typeof factories>;
let api: Client;
let org: Awaited<ReturnType<ReturnType<typeof factories>['org']>>;

beforeAll(async () => {
  t = await buildTestApp();
  f = factories(t.database, t.clock);
  org = await f.org({ name: 'Acme Support' });
  api = client(t.app, org.apiKey);
});
afterAll(() => t.close());

const setPresence = (agentId: number, status: 'online' | 'away' | 'offline') =>
  t.database.write((trx) => trx.updateTable('agents').set({ status }).where('id', '=', agentId).execute());

describe('GET /v1/organization', () => {
  it('answers {data: {id, domain, teamOnline, chatEnabled}}: no agent online → teamOnline false', async () => {
    await f.agent(org.id);
    expectExact(await api.get('/v1/organization'), 200, { data: { id: org.id, domain: 'acme-support', teamOnline: false, chatEnabled: true } });
  });

  it('teamOnline: true while an active agent is online; away, offline or deactivated agents do not count', async () => {
    const away = await f.agent(org.id);
    const gone = await f.agent(org.id, { active: false });
    await setPresence(away.id, 'away');
    await setPresence(gone.id, 'online');
    expect((await api.get('/v1/organization')).body.data.teamOnline).toBe(false);
    const on = await f.agent(org.id);
    await setPresence(on.id, 'online');
    expect((await api.get('/v1/organization')).body.data.teamOnline).toBe(true);
    await setPresence(on.id, 'offline');
    expect((await api.get('/v1/organization')).body.data.teamOnline).toBe(false);
  });

  it("is the key's own organization: another organization's online agents do not count", async () => {
    const other = await f.org({ name: 'Other' });
    await setPresence((await f.agent(other.id)).id, 'online');
    expectExact(await api.get('/v1/organization'), 200, { data: { id: org.id, domain: 'acme-support', teamOnline: false, chatEnabled: true } });
    expect((await client(t.app, other.apiKey).get('/v1/organization')).body.data).toEqual({ id: other.id, domain: 'other', teamOnline: true, chatEnabled: true });
  });

  it('chatEnabled follows the organization', async () => {
    await t.database.write((trx) => trx.updateTable('organizations').set({ chat_enabled: 0 }).where('id', '=', org.id).execute());
    expect((await api.get('/v1/organization')).body.data.chatEnabled).toBe(false);
    await t.database.write((trx) => trx.updateTable('organizations').set({ chat_enabled: 1 }).where('id', '=', org.id).execute());
  });
});

describe('GET /v1/agents/{id}/unsubscribe', () => {
  const flag = async (id: number) =>
    (await t.database.db.selectFrom('agents').select('email_unsubscribed').where('id', '=', id).executeTakeFirstOrThrow()).email_unsubscribed;

  it('answers 200 "Ok" and opts the agent out of email notifications; again is still "Ok"', async () => {
    const agent = await f.agent(org.id);
    expect(await flag(agent.id)).toBe(0);
    expectExact(await api.get(`/v1/agents/${agent.id}/unsubscribe`), 200, 'Ok');
    expect(await flag(agent.id)).toBe(1);
    expectExact(await api.get(`/v1/agents/${agent.id}/unsubscribe/`), 200, 'Ok');
  });

  it('a deactivated agent can unsubscribe too; the agent list is unchanged by it', async () => {
    const agent = await f.agent(org.id, { active: false });
    const before = (await api.get('/v1/agents')).body;
    expectExact(await api.get(`/v1/agents/${agent.id}/unsubscribe`), 200, 'Ok');
    expect((await api.get('/v1/agents')).body).toEqual(before);
  });

  it('unknown, non-numeric or another organization’s agent → the general 404, nothing changes', async () => {
    const other = await f.org();
    const theirs = await f.agent(other.id);
    for (const id of [theirs.id, 99_999_999, 'abc']) {
      expectError(await api.get(`/v1/agents/${id}/unsubscribe`), 404, INVALID, { code: 'not_found', message: 'Agent not found' });
    }
    expect(await flag(theirs.id)).toBe(0);
  });
});

describe('GET /v1/agents [ext] fields (API.md §3 Agent)', () => {
  it('every agent has exactly {id, name, email, role, status, active, departments, capacity}, presence as set', async () => {
    const sales = await f.department(org.id, 'Sales');
    const a = await f.agent(org.id, { name: 'Zed', email: 'zed@acme.test', role: 'superviser', departmentId: sales.id });
    await setPresence(a.id, 'away');
    const res = await api.get(`/v1/agents?limit=100`);
    for (const agent of res.body.data) expect(Object.keys(agent)).toEqual(['id', 'name', 'email', 'role', 'status', 'active', 'departments', 'capacity']);
    expect(res.body.data.find((x: { id: number }) => x.id === a.id)).toEqual({ id: a.id, name: 'Zed', email: 'zed@acme.test', role: 'superviser', status: 'away', active: true, departments: [sales.id], capacity: null });
    expect(res.body.meta.total).toBe(res.body.data.length);
  });
});
