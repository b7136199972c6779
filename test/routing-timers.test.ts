// Routing timers with a controllable clock (issue 13): no-reply reassignment and where it stops,
// offline grace, deactivation; a timer due while no server ran fires once after the restart, and
// once with two instances. Both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDueJobs } from '../src/assignment/routing/routing-worker.ts';
import { openDatabase } from '../src/db/database.ts';
import { deactivateAgent } from '../src/modules/agents/agents.service.ts';
import { buildTestApp, client, freshDatabase, type Client, type TestApp } from './helpers/app.ts';
import { factories } from './helpers/factories.ts';
import { routedTeam, routingHelpers } from './helpers/routing.ts';

let t: TestApp;
let f: ReturnType<typeof factories>;
let r: ReturnType<typeof routingHelpers>;
/** where a second handle opens the same database (a second instance) */
let url: string;

beforeAll(async () => {
  const fresh = await freshDatabase();
  url = fresh.url;
  t = await buildTestApp({ database: fresh });
  f = factories(t.database, t.clock);
  r = routingHelpers(t.database, t.clock);
});
afterAll(() => t.close());

const team = (n: number, policy: Parameters<typeof r.policy>[2]) => routedTeam(t, n, policy);

async function routedChat(api: Client, org: { id: number; applicationId: number }) {
  const customer = await f.customer(org.id);
  const chat = (await api.post('/v1/chats', { customer: customer.id, application: org.applicationId })).body as { id: number };
  await api.post('/v1/messages', { chat: chat.id, text: 'hello?' }); // the customer waits for an answer
  await r.run();
  return chat;
}

const reasons = async (chatId: number) => (await r.history(chatId)).map((h) => [h.to_agent_id, h.reason]);

describe('the no-reply timer', () => {
  it('moves the chat to the next candidate, then releases it to the queue once everyone had it — never a loop', async () => {
    const { org, agents, api } = await team(2, { strategy: 'round_robin', reassignAfterMinutes: 3 });
    const chat = await routedChat(api, org);
    const first = (await r.assignee(chat.id))!;
    const second = agents.find((a) => a.id !== first)!.id;

    t.clock.advance(3 * 60 - 1);
    expect(await r.run()).toBe(0); // not yet due
    t.clock.advance(1);
    expect(await r.run()).toBe(1);
    expect(await r.assignee(chat.id)).toBe(second);

    t.clock.advance(3 * 60);
    await r.run();
    expect(await r.assignee(chat.id)).toBeNull();
    const rows = await reasons(chat.id);
    expect(rows.map(([to]) => to)).toEqual([first, second, null]);
    expect(rows[1][1]).toMatch(/^No reply: .* did not answer within 3 minutes\. Round robin: /);
    expect(rows[2][1]).toMatch(/^No reply: .* did not answer within 3 minutes\. Queued: none of the 2 agents can take it \(2 did not reply in time\)\.$/);
    const trace = (await api.get(`/v1/chats/${chat.id}/assignments`)).body.data[2].trace;
    expect(trace.winner).toBeNull();
    expect(trace.candidates.map((c: { excluded: string }) => c.excluded)).toEqual(['no_reply', 'no_reply']);

    // in the queue, with no timer left, however long nobody answers
    expect((await api.get('/v1/organization/queue')).body.data[0].chats.map((c: { id: number }) => c.id)).toEqual([chat.id]);
    t.clock.advance(3600);
    expect(await r.run()).toBe(0);
    expect((await r.history(chat.id)).length).toBe(3);
    expect((await r.jobs()).filter((j) => j.chat_id === chat.id)).toEqual([]);
  });

  it('is forgotten when the chat closes: reopened by the customer, it may go to anyone again', async () => {
    const { org, api } = await team(1, { strategy: 'round_robin', reassignAfterMinutes: 1 });
    const chat = await routedChat(api, org);
    t.clock.advance(60);
    await r.run();
    expect(await r.assignee(chat.id)).toBeNull(); // the only agent did not answer: released
    expect((await api.put('/v1/chats/status', { id: chat.id, status: 'closed' })).status).toBe(200);
    expect((await api.post('/v1/messages', { chat: chat.id, text: 'me again' })).status).toBe(200);
    await r.run();
    expect(await r.assignee(chat.id)).not.toBeNull();
  });

  it('stops when the agent replies in time', async () => {
    const { org, api } = await team(2, { strategy: 'least_busy', reassignAfterMinutes: 2 });
    const chat = await routedChat(api, org);
    const agent = (await r.assignee(chat.id))!;
    t.clock.advance(60);
    expect((await api.post('/v1/messages', { chat: chat.id, text: 'on it', agent })).status).toBe(200);
    t.clock.advance(120);
    await r.run();
    expect(await r.assignee(chat.id)).toBe(agent);
    expect((await r.history(chat.id)).length).toBe(1);
  });

  it('applies to a chat a person assigned when the policy asks for it', async () => {
    const { org, agents, api } = await team(2, { strategy: 'least_busy', reassignAfterMinutes: 1 });
    const customer = await f.customer(org.id);
    const chat = (await api.post('/v1/chats', { customer: customer.id, application: org.applicationId, assignee: agents[0].id })).body;
    t.clock.advance(60);
    await r.run();
    expect(await r.assignee(chat.id)).toBe(agents[1].id);
  });
});

describe('the offline grace timer', () => {
  it('redistributes the open, unanswered chats of an agent still offline after offlineGraceMinutes', async () => {
    const { org, agents, api } = await team(2, { strategy: 'least_busy', offlineGraceMinutes: 5 });
    const waiting = await routedChat(api, org);
    const owner = (await r.assignee(waiting.id))!;
    const other = agents.find((a) => a.id !== owner)!.id;
    const answered = await routedChat(api, org);
    await api.put('/v1/chats/assignee', { id: answered.id, assignee: owner });
    await api.post('/v1/messages', { chat: answered.id, text: 'done', agent: owner });

    await r.presence(org.id, owner, 'offline');
    t.clock.advance(5 * 60 - 1);
    await r.run();
    expect(await r.assignee(waiting.id)).toBe(owner);
    t.clock.advance(1);
    await r.run();
    expect(await r.assignee(waiting.id)).toBe(other);
    expect(await r.assignee(answered.id)).toBe(owner); // answered: the customer waits for nobody
    const [, moved] = await reasons(waiting.id);
    expect(moved[1]).toMatch(/ went offline 5 minutes ago\. Least busy: /);
  });

  it('does nothing when the agent is back in time', async () => {
    const { org, api } = await team(2, { strategy: 'least_busy', offlineGraceMinutes: 5 });
    const chat = await routedChat(api, org);
    const owner = (await r.assignee(chat.id))!;
    await r.presence(org.id, owner, 'offline');
    t.clock.advance(60);
    await r.presence(org.id, owner, 'online');
    t.clock.advance(600);
    await r.run();
    expect(await r.assignee(chat.id)).toBe(owner);
    expect((await r.jobs()).filter((j) => j.agent_id === owner)).toEqual([]);
  });

  it('redistributes a deactivated agent’s chats after the grace, to the queue when nobody can take them', async () => {
    const { org, agents, api } = await team(1, { strategy: 'round_robin', offlineGraceMinutes: 2 });
    const chat = await routedChat(api, org);
    expect(await r.assignee(chat.id)).toBe(agents[0].id);
    await deactivateAgent(t.database, t.clock, org.id, agents[0].id);
    t.clock.advance(120);
    await r.run();
    expect(await r.assignee(chat.id)).toBeNull();
    const [, released] = await reasons(chat.id);
    expect(released[1]).toMatch(/ was deactivated\. Queued: the one agent cannot take it \(deactivated\)\.$/);
    expect((await api.get('/v1/organization/queue')).body.meta.total).toBe(1);
  });
});

describe('timers and restarts', () => {
  it('a timer due while no instance ran fires once at the next start, and once across two instances', async () => {
    const { org, api } = await team(2, { strategy: 'least_busy', reassignAfterMinutes: 1 });
    const chats = [await routedChat(api, org), await routedChat(api, org), await routedChat(api, org)];
    const before = await Promise.all(chats.map((c) => r.history(c.id)));
    t.clock.advance(3600); // every timer is long past due, as after a night with the servers down

    // two "instances": the app's database handle and a second one on the same database
    const second = openDatabase(url, t.database.schema ? { schema: t.database.schema, poolSize: 4 } : {});
    try {
      const ran = await Promise.all([runDueJobs(t.database, t.clock), runDueJobs(second, t.clock)]);
      expect(ran[0] + ran[1]).toBe(3);
      expect(await runDueJobs(second, t.clock)).toBe(0);
    } finally {
      await second.close();
    }
    const after = await Promise.all(chats.map((c) => r.history(c.id)));
    after.forEach((rows, i) => expect(rows.length).toBe(before[i].length + 1)); // each moved exactly once
  });
});
