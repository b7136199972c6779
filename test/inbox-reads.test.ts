// The inbox's own reads (docs/inbox.md): GET /v1/inbox/agents (every agent with presence and
// load) and GET /v1/inbox/chats (views, filters, q, paging, most recently updated first), for a
// session and an API key, never showing another organization's rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, client, type Client, type TestApp } from './helpers/app.ts';
import { CHAT_KEYS, expect400, expectExact } from './helpers/expect.ts';
import { factories } from './helpers/factories.ts';
import { sessionFor, type TestSession } from './helpers/session.ts';

let t: TestApp;
let f: ReturnType<typeof factories>;

beforeAll(async () => {
  t = await buildTestApp(); // SQLite: the search totals cache is on, as it is by default
  f = factories(t.database, t.clock);
});
afterAll(() => t.close());

type Agent = Awaited<ReturnType<typeof f.agent>>;

describe('GET /v1/inbox/agents', () => {
  it('lists every agent as GET /v1/agents does, plus openChats: their open assigned chats', async () => {
    const org = await f.org();
    const api = client(t.app, org.apiKey);
    const sales = await f.department(org.id, 'Sales');
    const ann = await f.agent(org.id, { name: 'Ann', role: 'admin', departmentId: sales.id });
    const bob = await f.agent(org.id, { name: 'Bob' });
    const gone = await f.agent(org.id, { name: 'Gone', active: false });
    await f.agent((await f.org()).id, { name: 'Elsewhere' });
    await api.put(`/v1/agents/${ann.id}/status`, { status: 'online' });
    const chats = [];
    for (let i = 0; i < 3; i++) chats.push(await f.chat(org.id, { applicationId: org.applicationId, assignee: bob.id }));
    await f.chat(org.id, { applicationId: org.applicationId, assignee: ann.id });
    await api.put('/v1/chats/status', { id: chats[0].id, status: 'closed' }); // a closed chat is no load

    const session = await sessionFor(t, org.id, bob.id);
    const res = await session.api.get('/v1/inbox/agents');
    const agents = (await api.get('/v1/agents')).body.data;
    expectExact(res, 200, {
      data: [
        { ...agents[0], openChats: 1 },
        { ...agents[1], openChats: 2 },
        { ...agents[2], openChats: 0 },
      ],
      meta: { total: 3 },
    });
    expect(res.body.data.map((a: Agent) => [a.id, a.status, a.active])).toEqual([[ann.id, 'online', true], [bob.id, 'offline', true], [gone.id, 'offline', false]]);
    expect(Object.keys(res.body.data[0])).toEqual(['id', 'name', 'email', 'role', 'status', 'active', 'departments', 'capacity', 'openChats']);
    expect((await api.get('/v1/inbox/agents')).body).toEqual(res.body); // an API key reads the same
  });
});

interface Desk {
  api: Client;
  me: Agent;
  other: Agent;
  session: TestSession;
  sales: { id: number };
  /** chat ids by name */
  chats: Record<string, number>;
}

/**
 * An organization with named chats updated at distinct times (the clock moves a minute per
 * chat), and a second organization whose matching chats must never show.
 */
async function desk(): Promise<Desk> {
  const org = await f.org();
  const api = client(t.app, org.apiKey);
  const me = await f.agent(org.id, { name: 'Me' });
  const other = await f.agent(org.id, { name: 'Other' });
  const sales = await f.department(org.id, 'Sales');
  const specs: Array<[string, { name: string; email: string }, number | undefined, number | undefined]> = [
    ['mineOld', { name: 'Zoë Alpha', email: 'alpha@one.test' }, me.id, undefined],
    ['unassigned', { name: 'Bruno 50%_off', email: 'bruno@two.test' }, undefined, sales.id],
    ['others', { name: 'Carla', email: 'carla@BIGCORP.test' }, other.id, sales.id],
    ['mineNew', { name: 'Dmitri', email: 'percent%sign@one.test' }, me.id, undefined],
  ];
  const chats: Record<string, number> = {};
  for (const [key, customer, assignee, department] of specs) {
    t.clock.advance(60);
    const c = await f.customer(org.id, customer);
    chats[key] = (await f.chat(org.id, { applicationId: org.applicationId, customerId: c.id, assignee, department })).id;
  }
  const foreign = await f.org();
  const stranger = await f.customer(foreign.id, { name: 'Zoë Alpha', email: 'alpha@one.test' });
  await f.chat(foreign.id, { applicationId: foreign.applicationId, customerId: stranger.id });
  return { api, me, other, sales, chats, session: await sessionFor(t, org.id, me.id) };
}

const ids = (res: { body: { data: Array<{ id: number }> } }) => res.body.data.map((c) => c.id);

describe('GET /v1/inbox/chats', () => {
  it('view=all (the default) lists the organization\'s chats, most recently updated first, as Chats', async () => {
    const d = await desk();
    const { mineOld, unassigned, others, mineNew } = d.chats;
    const res = await d.session.api.get('/v1/inbox/chats');
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual([mineNew, others, unassigned, mineOld]);
    expect(res.body.meta).toEqual({ total: 4 });
    expect(Object.keys(res.body)).toEqual(['data', 'meta']);
    expect(Object.keys(res.body.data[0])).toEqual(CHAT_KEYS);
    expect(res.body.data[0]).toEqual((await d.api.get(`/v1/chats/${mineNew}`)).body);
    expect(ids(await d.session.api.get('/v1/inbox/chats?view=all'))).toEqual(ids(res));

    // a change moves a chat to the top
    t.clock.advance(60);
    await d.api.put('/v1/chats/status', { id: mineOld, status: 'pending' });
    expect(ids(await d.session.api.get('/v1/inbox/chats'))).toEqual([mineOld, mineNew, others, unassigned]);
  });

  it('ties on updatedAt are broken by id, descending', async () => {
    const org = await f.org();
    const a = await f.chat(org.id, { applicationId: org.applicationId });
    const b = await f.chat(org.id, { applicationId: org.applicationId });
    expect(ids(await client(t.app, org.apiKey).get('/v1/inbox/chats'))).toEqual([b.id, a.id]);
  });

  it('view=mine and view=unassigned', async () => {
    const d = await desk();
    expect(ids(await d.session.api.get('/v1/inbox/chats?view=mine'))).toEqual([d.chats.mineNew, d.chats.mineOld]);
    const unassigned = await d.session.api.get('/v1/inbox/chats?view=unassigned');
    expect(ids(unassigned)).toEqual([d.chats.unassigned]);
    expect(unassigned.body.meta.total).toBe(1);
  });

  it('department and status filters, with the status aliases of PUT /v1/chats/status', async () => {
    const d = await desk();
    expect(ids(await d.session.api.get(`/v1/inbox/chats?department=${d.sales.id}`))).toEqual([d.chats.others, d.chats.unassigned]);
    expect(ids(await d.session.api.get(`/v1/inbox/chats?view=unassigned&department=${d.sales.id}`))).toEqual([d.chats.unassigned]);
    await d.api.put('/v1/chats/status', { id: d.chats.others, status: 'opened' });
    expect(ids(await d.session.api.get('/v1/inbox/chats?status=open'))).toEqual([d.chats.others]);
    expect(ids(await d.session.api.get('/v1/inbox/chats?status=opened'))).toEqual([d.chats.others]);
    expect((await d.session.api.get('/v1/inbox/chats?status=empty')).body.meta.total).toBe(3);
    expect((await d.session.api.get('/v1/inbox/chats?status=&department=')).body.meta.total).toBe(4); // empty values are none
  });

  it('q matches the customer name or email: contains, case-insensitive, % and _ literal', async () => {
    const d = await desk();
    const q = async (text: string) => ids(await d.session.api.get(`/v1/inbox/chats?q=${encodeURIComponent(text)}`));
    expect(await q('zoë')).toEqual([d.chats.mineOld]); // name
    expect(await q('ALPHA@')).toEqual([d.chats.mineOld]); // email, case-insensitive
    expect(await q('bigcorp')).toEqual([d.chats.others]);
    expect(await q('one.test')).toEqual([d.chats.mineNew, d.chats.mineOld]);
    expect(await q('%')).toEqual([d.chats.mineNew, d.chats.unassigned]); // a name and an email with a real %
    expect(await q('50%_')).toEqual([d.chats.unassigned]);
    expect(await q('_')).toEqual([d.chats.unassigned]);
    expect(await q('nobody')).toEqual([]);
    expect(await q('  carla ')).toEqual([d.chats.others]); // trimmed
    expect(ids(await d.session.api.get('/v1/inbox/chats?view=mine&q=one.test'))).toEqual([d.chats.mineNew, d.chats.mineOld]);
  });

  it("a total with q follows a customer's new name at once (the totals cache depends on the whole database)", async () => {
    const d = await desk();
    const total = async () => (await d.session.api.get('/v1/inbox/chats?q=quentin')).body.meta.total;
    expect(await total()).toBe(0);
    expect(await total()).toBe(0); // remembered
    const customer = (await d.api.get(`/v1/chats/${d.chats.others}`)).body.customer.id;
    expect((await d.api.put(`/v1/customers/${customer}`, { name: 'Quentin' })).status).toBe(200);
    expect(await total()).toBe(1);
  });

  it('pages with offset and limit; the total is of every match', async () => {
    const d = await desk();
    const all = ids(await d.session.api.get('/v1/inbox/chats'));
    const page = await d.session.api.get('/v1/inbox/chats?offset=1&limit=2');
    expect(ids(page)).toEqual(all.slice(1, 3));
    expect(page.body.meta.total).toBe(4);
    expect(ids(await d.session.api.get('/v1/inbox/chats?offset=4'))).toEqual([]);
  });

  it("never shows another organization's chats, for a session or an API key", async () => {
    const d = await desk();
    for (const res of [await d.session.api.get('/v1/inbox/chats?q=alpha'), await d.api.get('/v1/inbox/chats?q=alpha')]) {
      expect(ids(res)).toEqual([d.chats.mineOld]);
      expect(res.body.meta.total).toBe(1);
    }
    expect((await d.session.api.get('/v1/inbox/chats')).body.meta.total).toBe(4);
  });

  it('an API key reads views but mine: view=mine is 400 naming view', async () => {
    const d = await desk();
    expect(ids(await d.api.get('/v1/inbox/chats?view=unassigned'))).toEqual([d.chats.unassigned]);
    expect400(await d.api.get('/v1/inbox/chats?view=mine'), { code: 'view', message: 'The view "mine" needs a signed-in agent: an API key has no chats of its own.' });
  });

  it('bad values are one 400 naming every failing key', async () => {
    const d = await desk();
    expect400(
      await d.session.api.get('/v1/inbox/chats?view=everything&department=abc&status=lost&offset=-1&limit=x'),
      { code: 'view', message: 'The value you selected is not a valid choice.' },
      { code: 'department', message: 'This value should be of type numeric.' },
      { code: 'status', message: 'The value you selected is not a valid choice.' },
      { code: 'offset', message: 'This value should be either positive or zero.' },
      { code: 'limit', message: 'This value should be of type numeric.' },
    );
    expect400(await d.session.api.get('/v1/inbox/chats?department=0'), { code: 'department', message: 'This value should be positive.' });
    expect400(await d.session.api.get('/v1/inbox/chats?q=a&q=b'), { code: 'q', message: 'This value should be of type string.' });
  });
});
