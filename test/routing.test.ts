// Routing end to end (issue 13): triggers record work, the jobs carry it out through
// assignChat with source "auto", every decision explained; the queue, the timers, manual stays
// manual. Jobs run by hand at the test clock's time, on both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, client, type Client, type TestApp } from './helpers/app.ts';
import { factories } from './helpers/factories.ts';
import { routedTeam, routingHelpers } from './helpers/routing.ts';

let t: TestApp;
let f: ReturnType<typeof factories>;
let r: ReturnType<typeof routingHelpers>;

beforeAll(async () => {
  t = await buildTestApp();
  f = factories(t.database, t.clock);
  r = routingHelpers(t.database, t.clock);
});
afterAll(() => t.close());

type Org = Awaited<ReturnType<ReturnType<typeof factories>['org']>>;

const team = (n: number, policy: Parameters<typeof r.policy>[2]) => routedTeam(t, n, policy);

const newChat = async (api: Client, org: Org, extra: Record<string, unknown> = {}) => {
  const customer = await f.customer(org.id);
  const res = await api.post('/v1/chats', { customer: customer.id, application: org.applicationId, ...extra });
  expect(res.status).toBe(201);
  return res.body as { id: number; assignee: unknown };
};

describe('a new chat', () => {
  it('is routed after commit through assignChat: source auto, the routing actor, a reason and a trace', async () => {
    const { org, agents, api } = await team(2, { strategy: 'least_busy' });
    const chat = await newChat(api, org);
    expect(chat.assignee).toBeNull(); // the answer is the chat as created; routing follows after commit
    expect(await r.run()).toBe(1);
    const winner = await r.assignee(chat.id);
    expect(agents.map((a) => a.id)).toContain(winner);

    const history = (await api.get(`/v1/chats/${chat.id}/assignments`)).body.data;
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ from: null, to: { id: winner }, source: 'auto', assignedBy: { type: 'system', id: null, name: 'routing' } });
    expect(history[0].reason).toMatch(/^Least busy: /);
    expect(Object.keys(history[0].trace)).toEqual(['policy', 'candidates', 'winner']);
    expect(history[0].trace.winner.id).toBe(winner);
    expect(history[0].trace.policy.strategy).toBe('least_busy');
    const event = await t.database.db.selectFrom('outbox').select('event_data').where('chat_id', '=', chat.id).where('event', '=', 'chat.assigned').executeTakeFirstOrThrow();
    expect(JSON.parse(event.event_data)).toMatchObject({ source: 'auto', assignedBy: { type: 'system', name: 'routing' } });
  });

  it('under the default (manual) policy waits for a person: no queue, no job', async () => {
    const org = await f.org();
    const agent = await f.agent(org.id);
    await r.presence(org.id, agent.id, 'online');
    const api = client(t.app, org.apiKey);
    const chat = await newChat(api, org);
    expect((await r.jobs()).filter((j) => j.organization_id === org.id)).toEqual([]);
    expect(await r.assignee(chat.id)).toBeNull();
    expect((await api.get('/v1/organization/queue')).body).toEqual({ data: [], meta: { total: 0 } });
  });

  it('round robin spreads the chats of one drain evenly (each decision sees the one before)', async () => {
    const { org, agents, api } = await team(3, { strategy: 'round_robin' });
    const chats = [];
    for (let i = 0; i < 6; i++) chats.push(await newChat(api, org));
    expect(await r.run()).toBe(1); // one drain job took all six
    const counts = new Map<number, number>();
    for (const c of chats) counts.set((await r.assignee(c.id))!, (counts.get((await r.assignee(c.id))!) ?? 0) + 1);
    expect([...counts.entries()].sort()).toEqual(agents.map((a) => [a.id, 2]).sort());
  });

  it('created with an assignee is not routed', async () => {
    const { org, agents, api } = await team(2, { strategy: 'round_robin' });
    const chat = await newChat(api, org, { assignee: agents[1].id });
    await r.run();
    expect((await r.history(chat.id)).map((h) => h.source)).toEqual(['api']);
  });
});

describe('the queue', () => {
  it('holds chats when every agent is at capacity and releases them oldest first as seats free', async () => {
    const { org, agents, api } = await team(2, { strategy: 'least_busy', capacity: 1 });
    const chats = [];
    for (let i = 0; i < 4; i++) {
      chats.push(await newChat(api, org));
      t.clock.advance(1);
    }
    await r.run();
    expect(await Promise.all(chats.map((c) => r.assignee(c.id)))).toEqual([expect.any(Number), expect.any(Number), null, null]);

    const queue = (await api.get('/v1/organization/queue')).body;
    expect(queue.meta.total).toBe(2);
    expect(queue.data).toHaveLength(1);
    expect(queue.data[0].department).toBeNull();
    expect(queue.data[0].waiting).toBe(2);
    expect(queue.data[0].chats.map((c: { id: number; position: number }) => [c.position, c.id])).toEqual([[1, chats[2].id], [2, chats[3].id]]);

    // the first chat closes: its agent's seat goes to the oldest waiting chat
    const freed = await r.assignee(chats[0].id);
    expect((await api.put('/v1/chats/status', { id: chats[0].id, status: 'closed' })).status).toBe(200);
    await r.run();
    expect(await r.assignee(chats[2].id)).toBe(freed);
    expect(await r.assignee(chats[3].id)).toBeNull();
    expect((await api.get('/v1/organization/queue')).body.data[0].chats.map((c: { id: number }) => c.id)).toEqual([chats[3].id]);

    // an agent's own capacity above the policy's frees a seat too
    await r.capacity(org.id, agents[0].id, 5);
    await r.run();
    expect(await r.assignee(chats[3].id)).toBe(agents[0].id);
    expect((await api.get('/v1/organization/queue')).body.meta.total).toBe(0);
  });

  it('lists chats without a department first, then each department, on both databases', async () => {
    const { org, agents, api } = await team(1, { strategy: 'round_robin' });
    await r.presence(org.id, agents[0].id, 'away');
    const sales = await f.department(org.id, 'Sales');
    const inSales = await newChat(api, org, { department: sales.id });
    const none = await newChat(api, org);
    await r.run();
    const lines = (await api.get('/v1/organization/queue')).body.data;
    expect(lines.map((l: { department: unknown; chats: Array<{ id: number }> }) => [l.department, l.chats[0].id])).toEqual([
      [null, none.id],
      [{ id: sales.id, name: 'Sales' }, inSales.id],
    ]);
  });

  it('an agent coming online takes the waiting chats; away and offline agents take none', async () => {
    const { org, agents, api } = await team(1, { strategy: 'round_robin' });
    await r.presence(org.id, agents[0].id, 'away');
    const late = await f.agent(org.id);
    const chat = await newChat(api, org);
    await r.run();
    expect(await r.assignee(chat.id)).toBeNull();
    const [queued] = (await api.get('/v1/organization/queue')).body.data[0].chats;
    expect(queued.id).toBe(chat.id);

    await r.presence(org.id, late.id, 'online');
    await r.run();
    expect(await r.assignee(chat.id)).toBe(late.id);
    const [row] = (await api.get(`/v1/chats/${chat.id}/assignments`)).body.data;
    const excluded = Object.fromEntries(row.trace.candidates.map((c: { agent: { id: number }; excluded: string | null }) => [c.agent.id, c.excluded]));
    expect(excluded).toEqual({ [agents[0].id]: 'away', [late.id]: null });
  });
});

describe('POST /v1/chats/{id}/route', () => {
  it('with dryRun says who would get the chat and changes nothing; without, assigns', async () => {
    const { org, agents, api } = await team(2, { strategy: 'round_robin' });
    await r.presence(org.id, agents[1].id, 'offline');
    const chat = await newChat(api, org);
    const dry = await api.post(`/v1/chats/${chat.id}/route`, { dryRun: true });
    expect(dry.status).toBe(200);
    expect(Object.keys(dry.body)).toEqual(['chat', 'decision']);
    expect(dry.body.chat.assignee).toBeNull();
    expect(dry.body.decision.winner.id).toBe(agents[0].id);
    expect(dry.body.decision.candidates.map((c: { excluded: unknown }) => c.excluded)).toEqual([null, 'offline']);
    expect(await r.history(chat.id)).toEqual([]);

    const real = await api.post(`/v1/chats/${chat.id}/route`);
    expect(real.status).toBe(200);
    expect(real.body.chat.assignee.id).toBe(agents[0].id);
    expect((await r.history(chat.id)).map((h) => h.source)).toEqual(['auto']);
  });

  it('answers 404 for an unknown chat, 409 for a closed one, 400 for a non-boolean dryRun', async () => {
    const { org, api } = await team(1, { strategy: 'round_robin' });
    expect((await api.post('/v1/chats/999999/route', {})).body).toEqual({ errors: [{ code: 'invalid_request', message: 'Invalid request' }, { code: 'not_found', message: 'Chat not found' }] });
    const chat = await newChat(api, org);
    expect((await api.post(`/v1/chats/${chat.id}/route`, { dryRun: 'yes' })).body.errors[1]).toEqual({ code: 'dryRun', message: 'This value should be of type boolean.' });
    await api.put('/v1/chats/status', { id: chat.id, status: 'closed' });
    const closed = await api.post(`/v1/chats/${chat.id}/route`, {});
    expect(closed.status).toBe(409);
    expect(closed.body.errors[1].code).toBe('conflict');
  });
});

describe('manual stays manual', () => {
  it('a chat a person assigned is never moved by the queue, and expectedAssignee still guards against routing', async () => {
    const { org, agents, api } = await team(2, { strategy: 'least_busy' });
    const mine = await newChat(api, org, { assignee: agents[0].id });
    const routed = await newChat(api, org);
    await r.run();
    expect(await r.assignee(mine.id)).toBe(agents[0].id);
    expect(await r.assignee(routed.id)).toBe(agents[1].id); // least busy
    // an integration that expected the chat still unassigned loses to routing's committed write
    const late = await api.put('/v1/chats/assignee', { id: routed.id, assignee: agents[0].id, expectedAssignee: null });
    expect(late.status).toBe(409);
    expect(await r.assignee(routed.id)).toBe(agents[1].id);
  });
});
