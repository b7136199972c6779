// PUT /v1/agents/{id}/status [ext] (API.md §4.6, §4.7): presence, the agent.status_updated
// event it writes (outbox, webhook interest, live stream) and the routing work it schedules.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuard } from '../src/modules/webhooks/guard.ts';
import { createWebhookBody } from '../src/modules/webhooks/webhooks.schema.ts';
import { createWebhook } from '../src/modules/webhooks/webhooks.service.ts';
import { buildTestApp, client, T0, type Client, type TestApp } from './helpers/app.ts';
import { expect400, expectError, expectExact, INVALID } from './helpers/expect.ts';
import { waitingChat } from './helpers/routing.ts';
import { factories } from './helpers/factories.ts';
import { connectSse, until } from './helpers/sse.ts';

const AGENT_KEYS = ['id', 'name', 'email', 'role', 'status', 'active', 'departments', 'capacity'];
const CHOICE = 'The value you selected is not a valid choice.';
const BLANK = 'This value should not be blank.';
const NOT_FOUND = { code: 'not_found', message: 'Agent not found' };

let t: TestApp;
let f: ReturnType<typeof factories>;
type Org = Awaited<ReturnType<ReturnType<typeof factories>['org']>>;

beforeAll(async () => {
  t = await buildTestApp({ hub: 'in-process', config: { webhookAllowPrivate: true } });
  f = factories(t.database, t.clock);
});
afterAll(() => t.close());

async function orgWithAgent(opts: { routing?: boolean } = {}) {
  const org = await f.org();
  const api = client(t.app, org.apiKey);
  if (opts.routing) expect((await api.put('/v1/organization/routing', { strategy: 'round_robin' })).status).toBe(200);
  const sales = await f.department(org.id, 'Sales');
  const agent = await f.agent(org.id, { name: 'Ann', email: `ann${org.id}@acme.test`, departmentId: sales.id });
  await t.database.write((trx) => trx.deleteFrom('routing_jobs').where('organization_id', '=', org.id).execute());
  return { org, api, agent, sales };
}

const outbox = (org: Org) =>
  t.database.db.selectFrom('outbox').selectAll().where('organization_id', '=', org.id).where('event', '=', 'agent.status_updated').orderBy('id').execute();
const jobs = (org: Org) =>
  t.database.db.selectFrom('routing_jobs').select(['kind', 'agent_id', 'chat_id', 'due_at', 'created_at']).where('organization_id', '=', org.id).orderBy('kind').execute();

describe('PUT /v1/agents/{id}/status', () => {
  it('sets the presence and answers 200 with the Agent', async () => {
    const { api, agent, sales } = await orgWithAgent();
    for (const status of ['online', 'away', 'offline', 'online'] as const) {
      const res = await api.put(`/v1/agents/${agent.id}/status`, { status });
      expectExact(res, 200, { id: agent.id, name: 'Ann', email: agent.email, role: 'agent', status, active: true, departments: [sales.id], capacity: null });
      expect(Object.keys(res.body)).toEqual(AGENT_KEYS);
      expect((await api.get('/v1/agents')).body.data[0].status).toBe(status);
    }
  });

  it('a trailing slash and unknown keys are fine (API.md §1)', async () => {
    const { api, agent } = await orgWithAgent();
    const res = await api.put(`/v1/agents/${agent.id}/status/`, { status: 'away', name: 'ignored' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Ann', status: 'away' });
  });

  it('a bad or missing status → 400 naming status; nothing changes', async () => {
    const { org, api, agent } = await orgWithAgent();
    for (const status of ['busy', 'ONLINE', 1, true, ['online'], { status: 'online' }]) {
      expect400(await api.put(`/v1/agents/${agent.id}/status`, { status }), { code: 'status', message: CHOICE });
    }
    for (const body of [{}, { status: null }, { status: '' }, undefined]) {
      expect400(await api.put(`/v1/agents/${agent.id}/status`, body), { code: 'status', message: BLANK });
    }
    expect400(await api.put(`/v1/agents/${agent.id}/status`, ['online']), { code: 'body', message: 'This value should be of type object.' });
    expect((await api.get('/v1/agents')).body.data[0].status).toBe('offline');
    expect(await outbox(org)).toEqual([]);
  });

  it("an unknown, foreign or non-numeric agent id → the general 404 Agent not found", async () => {
    const { api } = await orgWithAgent();
    const other = await orgWithAgent();
    for (const id of [99_999_999, other.agent.id, 'abc', 0, -1]) {
      expectError(await api.put(`/v1/agents/${id}/status`, { status: 'online' }), 404, INVALID, NOT_FOUND);
    }
    expect((await other.api.get('/v1/agents')).body.data[0].status).toBe('offline');
  });

  it('field shapes come before the 404 (API.md §5)', async () => {
    const { api } = await orgWithAgent();
    expect400(await api.put('/v1/agents/99999999/status', { status: 'busy' }), { code: 'status', message: CHOICE });
  });

  it('a deactivated agent: only offline can be set (400 naming status otherwise); no routing work', async () => {
    const { org, api } = await orgWithAgent({ routing: true });
    const gone = await f.agent(org.id, { active: false });
    await t.database.write((trx) => trx.updateTable('agents').set({ status: 'online' }).where('id', '=', gone.id).execute());
    await t.database.write((trx) => trx.deleteFrom('routing_jobs').where('organization_id', '=', org.id).execute());
    for (const status of ['online', 'away']) {
      expect400(await api.put(`/v1/agents/${gone.id}/status`, { status }), {
        code: 'status',
        message: `Agent for ID "${gone.id}" is deactivated; only "offline" can be set.`,
      });
    }
    const res = await api.put(`/v1/agents/${gone.id}/status`, { status: 'offline' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: gone.id, status: 'offline', active: false });
    expect(await jobs(org)).toEqual([]);
    expect((await outbox(org)).map((e) => JSON.parse(e.event_data).agent.status)).toEqual(['offline']);
  });
});

describe('the agent.status_updated event [ext]', () => {
  it('a change writes one event with {agent: Agent} as answered, naming no chat', async () => {
    const { org, api, agent } = await orgWithAgent();
    t.clock.set(T0 + 100);
    const res = await api.put(`/v1/agents/${agent.id}/status`, { status: 'online' });
    const events = await outbox(org);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ event: 'agent.status_updated', chat_id: null, created_at: T0 + 100 });
    expect(events[0].event_data).toBe(JSON.stringify({ agent: res.body }));
    expect(Object.keys(JSON.parse(events[0].event_data).agent)).toEqual(AGENT_KEYS);
    t.clock.set(T0);
  });

  it('the same presence again: 200 with the Agent, no event, no routing work', async () => {
    const { org, api, agent } = await orgWithAgent({ routing: true });
    expect((await api.put(`/v1/agents/${agent.id}/status`, { status: 'offline' })).body.status).toBe('offline'); // new agents start offline
    expect(await outbox(org)).toEqual([]);
    expect(await jobs(org)).toEqual([]);
    await api.put(`/v1/agents/${agent.id}/status`, { status: 'online' });
    await t.database.write((trx) => trx.deleteFrom('routing_jobs').where('organization_id', '=', org.id).execute());
    const again = await api.put(`/v1/agents/${agent.id}/status`, { status: 'online' });
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('online');
    expect(await outbox(org)).toHaveLength(1);
    expect(await jobs(org)).toEqual([]);
  });

  it('concurrent requests for the same presence write exactly one event', async () => {
    const { org, api, agent } = await orgWithAgent();
    const answers = await Promise.all(Array.from({ length: 8 }, () => api.put(`/v1/agents/${agent.id}/status`, { status: 'away' })));
    expect(answers.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(await outbox(org)).toHaveLength(1);
  });

  it('a webhook subscription gets it by name or with *, not when it asked for other events', async () => {
    const guard = createGuard({ allowPrivate: true });
    const pending = async (events: unknown) => {
      const { org, api, agent } = await orgWithAgent();
      await createWebhook(t.database, t.clock, guard, org.id, createWebhookBody.parse({ url: 'http://127.0.0.1:9/hook', events }));
      await api.put(`/v1/agents/${agent.id}/status`, { status: 'online' });
      return (await outbox(org))[0].webhook_pending;
    };
    expect(await pending(['agent.status_updated'])).toBe(1);
    expect(await pending('*')).toBe(1);
    expect(await pending(['chat.new', 'agent.status_updated'])).toBe(1);
    expect(await pending(['chat.new', 'chat.assigned'])).toBe(0);
  });

  it('POST /v1/webhooks accepts the name and lists it after the names of API.md §4.5', async () => {
    const { api } = await orgWithAgent();
    const res = await api.post('/v1/webhooks', { url: 'http://127.0.0.1:9/a', events: ['agent.status_updated', 'chat.new'] });
    expect(res.status).toBe(201);
    expect(res.body.events).toEqual(['chat.new', 'agent.status_updated']);
  });

  it('reaches the live event stream at once, as the webhook envelope', async () => {
    const { org, api, agent } = await orgWithAgent();
    const app: FastifyInstance = t.app;
    if (!app.server.listening) await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as { port: number }).port;
    const stream = await connectSse(`http://127.0.0.1:${port}/v1/events/stream`, { authorization: `Bearer ${org.apiKey}` });
    try {
      expect(stream.status).toBe(200);
      await until(() => stream.retry !== null); // from the `retry:` line on, no commit is missed (docs/compatibility.md)
      const res = await api.put(`/v1/agents/${agent.id}/status`, { status: 'online' });
      const [event] = await stream.waitForEvents(1, 2_000);
      expect(event.event).toBe('agent.status_updated');
      const envelope = JSON.parse(event.data);
      expect(envelope).toMatchObject({ event: 'agent.status_updated', eventData: { agent: res.body }, attempts: 0, lastAttemptAt: null });
      expect(event.id).toBe(String((await outbox(org))[0].id));
    } finally {
      stream.close();
    }
  });
});

describe('routing work scheduled by a presence change (triggers.ts, in the same transaction)', () => {
  it('offline starts the grace timer under a routing policy; online cancels it and drains the queue', async () => {
    const { org, api, agent } = await orgWithAgent({ routing: true });
    await waitingChat(t.database, await f.chat(org.id, { applicationId: org.applicationId }), T0);
    await t.database.write((trx) => trx.deleteFrom('routing_jobs').where('organization_id', '=', org.id).execute());
    await api.put(`/v1/agents/${agent.id}/status`, { status: 'online' });
    expect(await jobs(org)).toEqual([{ kind: 'drain', agent_id: null, chat_id: null, due_at: T0, created_at: T0 }]);
    await t.database.write((trx) => trx.deleteFrom('routing_jobs').where('organization_id', '=', org.id).execute());

    t.clock.set(T0 + 60);
    await api.put(`/v1/agents/${agent.id}/status`, { status: 'offline' });
    // offlineGraceMinutes defaults to 5 (API.md §4.7)
    expect(await jobs(org)).toEqual([{ kind: 'offline_grace', agent_id: agent.id, chat_id: null, due_at: T0 + 60 + 300, created_at: T0 + 60 }]);

    t.clock.set(T0 + 120);
    await api.put(`/v1/agents/${agent.id}/status`, { status: 'online' });
    expect(await jobs(org)).toEqual([{ kind: 'drain', agent_id: null, chat_id: null, due_at: T0 + 120, created_at: T0 + 120 }]);
    t.clock.set(T0);
  });

  it('away keeps the agent out of new chats without the grace timer, and cancels a running one', async () => {
    const { org, api, agent } = await orgWithAgent({ routing: true });
    await api.put(`/v1/agents/${agent.id}/status`, { status: 'away' });
    expect(await jobs(org)).toEqual([]);
    await api.put(`/v1/agents/${agent.id}/status`, { status: 'offline' });
    expect((await jobs(org)).map((j) => j.kind)).toEqual(['offline_grace']);
    await api.put(`/v1/agents/${agent.id}/status`, { status: 'away' });
    expect(await jobs(org)).toEqual([]);
  });

  it('the grace follows the policy: a department policy with a shorter grace sets the timer', async () => {
    const { org, api, agent, sales } = await orgWithAgent({ routing: true });
    expect((await api.put(`/v1/departments/${sales.id}/routing`, { offlineGraceMinutes: 2 })).status).toBe(200);
    await api.put(`/v1/agents/${agent.id}/status`, { status: 'online' });
    await t.database.write((trx) => trx.deleteFrom('routing_jobs').where('organization_id', '=', org.id).execute());
    await api.put(`/v1/agents/${agent.id}/status`, { status: 'offline' });
    expect(await jobs(org)).toEqual([{ kind: 'offline_grace', agent_id: agent.id, chat_id: null, due_at: T0 + 120, created_at: T0 }]);
  });

  it('under a manual policy going offline schedules nothing (nothing of theirs is routed)', async () => {
    const { org, api, agent } = await orgWithAgent();
    await api.put(`/v1/agents/${agent.id}/status`, { status: 'online' });
    await t.database.write((trx) => trx.deleteFrom('routing_jobs').where('organization_id', '=', org.id).execute());
    await api.put(`/v1/agents/${agent.id}/status`, { status: 'offline' });
    expect(await jobs(org)).toEqual([]);
  });

  it('a refused change schedules nothing', async () => {
    const { org, api, agent } = await orgWithAgent({ routing: true });
    expect((await api.put(`/v1/agents/${agent.id}/status`, { status: 'gone' })).status).toBe(400);
    expect(await jobs(org)).toEqual([]);
  });
});
