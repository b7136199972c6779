// PUT /v1/chats/assignee, one test per row of API.md §4.3, exact status and body.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, client, T0, type Client, type TestApp } from './helpers/app.ts';
import { agentRef, CHAT_KEYS, freshChat, expect400, expectError, expectExact, INVALID } from './helpers/expect.ts';
import { factories } from './helpers/factories.ts';

let t: TestApp;
let f: ReturnType<typeof factories>;
let api: Client;
let org: Awaited<ReturnType<ReturnType<typeof factories>['org']>>;
let agents: Awaited<ReturnType<ReturnType<typeof factories>['agent']>>[];
let chat: { id: number };

beforeAll(async () => {
  t = await buildTestApp();
  f = factories(t.database, t.clock);
  org = await f.org();
  agents = [await f.agent(org.id, { role: 'admin' }), await f.agent(org.id), await f.agent(org.id, { role: 'superviser' })];
  api = client(t.app, org.apiKey);
});
afterAll(() => t.close());
beforeEach(async () => {
  chat = await f.chat(org.id, { applicationId: org.applicationId });
});

const history = async (chatId: number) => (await api.get(`/v1/chats/${chatId}/assignments`)).body;
const events = (chatId: number) =>
  t.database.db.selectFrom('outbox').selectAll().where('chat_id', '=', chatId).where('event', '=', 'chat.assigned').orderBy('id').execute();
const setChat = (chatId: number, values: Record<string, unknown>) =>
  t.database.write((trx) => trx.updateTable('chats').set(values).where('id', '=', chatId).execute());

describe('PUT /v1/chats/assignee', () => {
  it('valid chat, active agent → 200 with the whole Chat, one history entry, one chat.assigned event', async () => {
    const res = await api.put('/v1/chats/assignee', { id: chat.id, assignee: agents[1].id });
    const customer = (await api.get(`/v1/chats/${chat.id}`)).body.customer;
    expectExact(res, 200, freshChat({ id: chat.id, createdAt: T0, applicationId: org.applicationId, customer, assignee: agentRef(agents[1]) }));
    expect(Object.keys(res.body)).toEqual(CHAT_KEYS);
    expect(Object.keys(customer)).toEqual(['id', 'name', 'email', 'userId']);

    const h = await history(chat.id);
    expect(h.meta.total).toBe(1);
    expect(h.data[0]).toMatchObject({ chat: chat.id, from: null, to: agentRef(agents[1]), source: 'api', assignedBy: { type: 'api_key', id: org.apiKeyId } });
    const ev = await events(chat.id);
    expect(ev).toHaveLength(1);
    const data = JSON.parse(ev[0].event_data);
    expect(data.chat).toEqual(res.body);
    expect(data.previousAssignee).toBeNull();
    expect(data.assignee).toEqual(agentRef(agents[1]));
    expect(data.assignedBy).toEqual({ type: 'api_key', id: org.apiKeyId, name: expect.stringContaining('API key') });
    expect(data.source).toBe('api');
  });

  it('the answer is the event\'s chat byte for byte (serialised once), as JSON', async () => {
    await f.customer(org.id); // other rows around it change nothing
    const res = await api.put('/v1/chats/assignee', { id: chat.id, assignee: agents[2].id });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const [ev] = await events(chat.id);
    expect(ev.event_data.startsWith(`{"chat":${res.text},"assignee":`)).toBe(true);
    expect(JSON.stringify(JSON.parse(ev.event_data))).toBe(ev.event_data); // the rest as JSON.stringify writes it
    expect(JSON.parse(res.text)).toEqual(freshChat({ id: chat.id, createdAt: T0, applicationId: org.applicationId, customer: res.body.customer, assignee: agentRef(agents[2]) }));
  });

  it('ids as digit strings are accepted', async () => {
    const res = await api.put('/v1/chats/assignee', { id: String(chat.id), assignee: String(agents[0].id) });
    expect(res.status).toBe(200);
    expect(res.body.assignee).toEqual(agentRef(agents[0]));
  });

  it('reassigning records previousAssignee', async () => {
    await api.put('/v1/chats/assignee', { id: chat.id, assignee: agents[0].id });
    await api.put('/v1/chats/assignee', { id: chat.id, assignee: agents[2].id });
    const ev = await events(chat.id);
    expect(ev).toHaveLength(2);
    expect(JSON.parse(ev[1].event_data).previousAssignee).toEqual(agentRef(agents[0]));
    const h = await history(chat.id);
    expect(h.data.map((r: any) => [r.from?.id ?? null, r.to?.id ?? null])).toEqual([[null, agents[0].id], [agents[0].id, agents[2].id]]);
  });

  it('same assignee as now → 200, chat unchanged, no history entry, no event', async () => {
    const first = await api.put('/v1/chats/assignee', { id: chat.id, assignee: agents[1].id });
    t.clock.advance(60);
    const again = await api.put('/v1/chats/assignee', { id: chat.id, assignee: agents[1].id });
    expectExact(again, 200, first.body);
    expect((await history(chat.id)).meta.total).toBe(1);
    expect(await events(chat.id)).toHaveLength(1);
  });

  it('"assignee": null → 200 unassigned, with history entry and event', async () => {
    await api.put('/v1/chats/assignee', { id: chat.id, assignee: agents[1].id });
    const res = await api.put('/v1/chats/assignee', { id: chat.id, assignee: null });
    expect(res.status).toBe(200);
    expect(res.body.assignee).toBeNull();
    expect(Object.keys(res.body)).toEqual(CHAT_KEYS);
    const h = await history(chat.id);
    expect(h.data[1]).toMatchObject({ from: agentRef(agents[1]), to: null });
    const ev = await events(chat.id);
    expect(ev).toHaveLength(2);
    expect(JSON.parse(ev[1].event_data)).toMatchObject({ assignee: null, previousAssignee: agentRef(agents[1]) });
  });

  it('"assignee": null on an unassigned chat → 200, no history entry, no event', async () => {
    const res = await api.put('/v1/chats/assignee', { id: chat.id, assignee: null });
    expect(res.status).toBe(200);
    expect(res.body.assignee).toBeNull();
    expect((await history(chat.id)).meta.total).toBe(0);
    expect(await events(chat.id)).toHaveLength(0);
  });

  it.each(['offline', 'away'])('agent %s → 200 (manual assignment ignores presence)', async (presence) => {
    await t.database.write((trx) => trx.updateTable('agents').set({ status: presence as 'away' }).where('id', '=', agents[2].id).execute());
    const res = await api.put('/v1/chats/assignee', { id: chat.id, assignee: agents[2].id });
    expect(res.status).toBe(200);
    expect(res.body.assignee).toEqual(agentRef(agents[2]));
  });

  it('closed chat → 200, status stays closed', async () => {
    await setChat(chat.id, { status: 'closed', closed_at: T0, closed_by: 'agent' });
    const res = await api.put('/v1/chats/assignee', { id: chat.id, assignee: agents[0].id });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'closed', closedAt: String(T0), closedBy: 'agent', assignee: agentRef(agents[0]) });
  });

  it('snoozed chat → 200, status and snooze unchanged', async () => {
    await setChat(chat.id, { status: 'onhold', snoozed_until: T0 + 3600 });
    const res = await api.put('/v1/chats/assignee', { id: chat.id, assignee: agents[0].id });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'onhold', snoozedUntil: String(T0 + 3600), assignee: agentRef(agents[0]) });
  });

  it.each([
    ['absent', { assignee: 1 }],
    ['null', { id: null, assignee: 1 }],
    ['""', { id: '', assignee: 1 }],
  ])('id %s → 400 blank', async (_, body) => {
    expect400(await api.put('/v1/chats/assignee', body), { code: 'id', message: 'This value should not be blank.' });
  });

  it.each([['abc'], [true], [{}], [[1]], ['12abc']])('id %j → 400 numeric', async (id) => {
    expect400(await api.put('/v1/chats/assignee', { id, assignee: null }), { code: 'id', message: 'This value should be of type numeric.' });
  });

  it.each([[0], [-5], ['-5'], ['0']])('id %j → 400 positive', async (id) => {
    expect400(await api.put('/v1/chats/assignee', { id, assignee: null }), { code: 'id', message: 'This value should be positive.' });
  });

  it('assignee key absent → 400 missing', async () => {
    expect400(await api.put('/v1/chats/assignee', { id: chat.id }), { code: 'assignee', message: 'This field is missing.' });
  });

  it.each([['abc'], [true], [{ id: 1 }], [[1]], ['']])('assignee %j → 400 numeric', async (assignee) => {
    expect400(await api.put('/v1/chats/assignee', { id: chat.id, assignee }), { code: 'assignee', message: 'This value should be of type numeric.' });
  });

  it('several failing fields are reported in one 400', async () => {
    expect400(
      await api.put('/v1/chats/assignee', { id: 'x' }),
      { code: 'id', message: 'This value should be of type numeric.' },
      { code: 'assignee', message: 'This field is missing.' },
    );
  });

  it('unknown agent → 400 naming assignee; nothing changes', async () => {
    expect400(await api.put('/v1/chats/assignee', { id: chat.id, assignee: 987654 }), { code: 'assignee', message: 'Agent for ID "987654" was not found' });
    expect((await history(chat.id)).meta.total).toBe(0);
  });

  it("another organization's agent → the same 400 as a missing one", async () => {
    const other = await f.org();
    const stranger = await f.agent(other.id);
    expect400(await api.put('/v1/chats/assignee', { id: chat.id, assignee: stranger.id }), {
      code: 'assignee',
      message: `Agent for ID "${stranger.id}" was not found`,
    });
    expect((await api.get(`/v1/chats/${chat.id}`)).body.assignee).toBeNull();
  });

  it('deactivated agent → 400 deactivated', async () => {
    const gone = await f.agent(org.id, { active: false });
    expect400(await api.put('/v1/chats/assignee', { id: chat.id, assignee: gone.id }), { code: 'assignee', message: `Agent for ID "${gone.id}" is deactivated` });
    expect((await events(chat.id)).length).toBe(0);
  });

  it('unknown chat → 404 with the single not_fount item', async () => {
    expectError(await api.put('/v1/chats/assignee', { id: 542335, assignee: agents[0].id }), 404, {
      code: 'not_fount',
      message: 'Chat for ID "542335" was not found',
    });
  });

  it('the chat is checked before the agent (API.md §5 order)', async () => {
    expectError(await api.put('/v1/chats/assignee', { id: 542335, assignee: 999999 }), 404, {
      code: 'not_fount',
      message: 'Chat for ID "542335" was not found',
    });
  });

  it('missing key → 401; bad key → 401', async () => {
    const unauthorized = [INVALID, { code: 'unauthorized', message: 'Unauthorized' }];
    expectError(await client(t.app, null).put('/v1/chats/assignee', { id: chat.id, assignee: null }), 401, ...unauthorized);
    expectError(await client(t.app, 'hk_nope').put('/v1/chats/assignee', { id: chat.id, assignee: null }), 401, ...unauthorized);
  });

  it('the key is accepted inside literal angle brackets and spaces, as copied from the docs', async () => {
    const res = await api.put('/v1/chats/assignee', { id: chat.id, assignee: agents[0].id }, { authorization: `  Bearer <${org.apiKey}>  ` });
    expect(res.status).toBe(200);
  });

  it('over the rate limit → 429 in the envelope with Retry-After', async () => {
    const limited = await f.org({ rateLimitPerMinute: 2 });
    const a = await f.agent(limited.id);
    const c = await f.chat(limited.id, { applicationId: limited.applicationId });
    const lapi = client(t.app, limited.apiKey);
    for (let i = 0; i < 2; i++) expect((await lapi.put('/v1/chats/assignee', { id: c.id, assignee: a.id })).status).toBe(200);
    const res = await lapi.put('/v1/chats/assignee', { id: c.id, assignee: null });
    expectError(res, 429, INVALID, { code: 'too_many_requests', message: 'Too many requests' });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect((await api.get(`/v1/chats/${c.id}`)).status).toBe(404); // and nothing of it leaked
  });

  describe('[ext] expectedAssignee compare-and-set', () => {
    it('different from the current assignee → 409, nothing changes', async () => {
      await api.put('/v1/chats/assignee', { id: chat.id, assignee: agents[0].id });
      const res = await api.put('/v1/chats/assignee', { id: chat.id, assignee: agents[1].id, expectedAssignee: agents[2].id });
      expect(res.status).toBe(409);
      expect(res.body.errors[0]).toEqual(INVALID);
      expect(res.body.errors[1].code).toBe('conflict');
      expect(res.body.errors[1].message).toContain(String(agents[0].id));
      expect((await api.get(`/v1/chats/${chat.id}`)).body.assignee).toEqual(agentRef(agents[0]));
      expect((await history(chat.id)).meta.total).toBe(1);
    });

    it('expectedAssignee null on an assigned chat → 409', async () => {
      await api.put('/v1/chats/assignee', { id: chat.id, assignee: agents[0].id });
      expect((await api.put('/v1/chats/assignee', { id: chat.id, assignee: agents[1].id, expectedAssignee: null })).status).toBe(409);
    });

    it('matching expectedAssignee → 200 and the change', async () => {
      expect((await api.put('/v1/chats/assignee', { id: chat.id, assignee: agents[0].id, expectedAssignee: null })).status).toBe(200);
      const res = await api.put('/v1/chats/assignee', { id: chat.id, assignee: agents[1].id, expectedAssignee: String(agents[0].id) });
      expect(res.status).toBe(200);
      expect(res.body.assignee).toEqual(agentRef(agents[1]));
    });

    it('the agent is checked before expectedAssignee (400 before 409)', async () => {
      const res = await api.put('/v1/chats/assignee', { id: chat.id, assignee: 999999, expectedAssignee: agents[2].id });
      expect(res.status).toBe(400);
    });

    it('malformed expectedAssignee → 400 naming it', async () => {
      expect400(await api.put('/v1/chats/assignee', { id: chat.id, assignee: null, expectedAssignee: 'x' }), {
        code: 'expectedAssignee',
        message: 'This value should be of type numeric.',
      });
    });
  });
});
