// PUT /v1/chats/status, /department, /rate, /readByAgent, /readByCustomer, /read (API.md §4.2):
// answers, every error, aliases, outbox events, order of checks, tenant isolation of all seven.
// PUT /v1/chats/snooze has its own cases in snooze.test.ts, beside the wake-up.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EMPTY_NOT_SETTABLE } from '../src/modules/chats/chat-changes.schema.ts';
import { RATE_REFUSED } from '../src/modules/chats/chat-changes.service.ts';
import { buildTestApp, client, T0, type Client, type TestApp } from './helpers/app.ts';
import { agentRef, CHAT_KEYS, expect400, expectError, expectExact } from './helpers/expect.ts';
import { factories } from './helpers/factories.ts';

type World = Awaited<ReturnType<ReturnType<typeof factories>['world']>>;
let t: TestApp;
let f: ReturnType<typeof factories>;
let api: Client;
let w: World;
let other: World;
let dept: { id: number; name: string };
let chat: Awaited<ReturnType<ReturnType<typeof factories>['chat']>>;

beforeAll(async () => {
  t = await buildTestApp();
  f = factories(t.database, t.clock);
  w = await f.world();
  other = await f.world();
  dept = await f.department(w.org.id, 'Billing');
  api = client(t.app, w.org.apiKey);
});
afterAll(() => t.close());
beforeEach(async () => {
  t.clock.set(T0);
  chat = await f.chat(w.org.id, { applicationId: w.org.applicationId });
});

const CHAT_MISSING = (id: number | string) => ({ code: 'not_fount', message: `Chat for ID "${id}" was not found` });
const CHOICE = 'The value you selected is not a valid choice.';
/** the outbox events of a chat after its chat.new, oldest first */
const events = async (chatId: number) => {
  const rows = await t.database.db.selectFrom('outbox').selectAll().where('chat_id', '=', chatId).where('event', '!=', 'chat.new').orderBy('id').execute();
  return rows.map((e) => ({ event: e.event, orgId: e.organization_id, data: JSON.parse(e.event_data) }));
};
const row = (chatId: number) => t.database.db.selectFrom('chats').selectAll().where('id', '=', chatId).executeTakeFirstOrThrow();
const setChat = (chatId: number, values: Record<string, unknown>) => t.database.write((trx) => trx.updateTable('chats').set(values).where('id', '=', chatId).execute());
/** the Chat a new chat of the factory answers (API.md §3 key order); tests override what changed */
const newChatShape = (c: typeof chat) => ({
  id: c.id, closedBy: null as string | null, lastCustomerMessageAt: null, status: 'empty', closedAt: null as string | null,
  rating: null as string | null, createdAt: String(T0), lastMessageAt: null, readByAgent: false, readByCustomer: false,
  createdWith: 'public_api', snoozedUntil: null, lastMessageText: null, lastMessageId: null, applicationId: w.org.applicationId,
  lastCommunicatedAgentId: null, agents: [] as unknown[], customer: c.customer, assignee: null, department: null,
});
const addAgentMessage = (chatId: number, agentId: number, at = T0) =>
  t.database.write((trx) => trx.insertInto('chat_agents').values({ organization_id: w.org.id, chat_id: chatId, agent_id: agentId, created_at: at }).execute());

describe('PUT /v1/chats/status', () => {
  it('closing → 200 with the whole Chat (closedAt now, closedBy agent); chat.status_updated then chat.closed', async () => {
    t.clock.set(T0 + 10);
    const res = await api.put('/v1/chats/status', { id: chat.id, status: 'closed' });
    expectExact(res, 200, { ...newChatShape(chat), closedBy: 'agent', status: 'closed', closedAt: String(T0 + 10) });
    const ev = await events(chat.id);
    expect(ev.map((e) => e.event)).toEqual(['chat.status_updated', 'chat.closed']);
    for (const e of ev) expect(e).toEqual({ event: e.event, orgId: w.org.id, data: { chat: res.body } });
    expect((await row(chat.id)).updated_at).toBe(T0 + 10);
  });

  const statuses = ['new', 'opened', 'pending', 'onhold', 'no communication'].map((s) => [s, s]);
  it.each([...statuses, ['open', 'opened'], ['on hold', 'onhold'], ['on-hold', 'onhold']])('status %j → %j, one chat.status_updated', async (given, stored) => {
    const res = await api.put('/v1/chats/status', { id: String(chat.id), status: given });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: stored, closedAt: null, closedBy: null });
    expect((await row(chat.id)).status).toBe(stored);
    expect((await events(chat.id)).map((e) => e.event)).toEqual(['chat.status_updated']);
  });

  it('the same status again → 200, chat unchanged, no event', async () => {
    const first = await api.put('/v1/chats/status', { id: chat.id, status: 'pending' });
    t.clock.advance(60);
    expectExact(await api.put('/v1/chats/status', { id: chat.id, status: 'pending' }), 200, first.body);
    expect(await events(chat.id)).toHaveLength(1);
    expect((await row(chat.id)).updated_at).toBe(T0);
  });

  it('an alias naming the current status is no change either', async () => {
    await api.put('/v1/chats/status', { id: chat.id, status: 'onhold' });
    expect((await api.put('/v1/chats/status', { id: chat.id, status: 'on-hold' })).status).toBe(200);
    expect(await events(chat.id)).toHaveLength(1);
  });

  it('reopening clears closedAt and closedBy; only chat.status_updated', async () => {
    await setChat(chat.id, { status: 'closed', closed_at: T0 - 100, closed_by: 'customer' });
    const res = await api.put('/v1/chats/status', { id: chat.id, status: 'open' });
    expect(res.body).toMatchObject({ status: 'opened', closedAt: null, closedBy: null });
    expect((await events(chat.id)).map((e) => e.event)).toEqual(['chat.status_updated']);
  });

  it('closing keeps the snooze, rating, assignee and department', async () => {
    await api.put('/v1/chats/assignee', { id: chat.id, assignee: w.agents[0].id });
    await setChat(chat.id, { snoozed_until: T0 + 3600, department_id: dept.id, rating: 'great' });
    const res = await api.put('/v1/chats/status', { id: chat.id, status: 'closed' });
    expect(res.body).toMatchObject({ snoozedUntil: String(T0 + 3600), rating: 'great', assignee: agentRef(w.agents[0]), department: dept });
  });

  it('"empty" cannot be set → 400 with its own reason', async () => {
    expect400(await api.put('/v1/chats/status', { id: chat.id, status: 'empty' }), { code: 'status', message: EMPTY_NOT_SETTABLE });
  });

  it.each([['archived'], ['Closed'], ['OPEN'], [5], [true], [['closed']]])('status %j → 400 not a valid choice', async (status) => {
    expect400(await api.put('/v1/chats/status', { id: chat.id, status }), { code: 'status', message: CHOICE });
    expect((await row(chat.id)).status).toBe('empty');
  });

  it.each([['absent', {}], ['null', { status: null }], ['""', { status: '' }]])('status %s → 400 blank', async (_, extra) => {
    expect400(await api.put('/v1/chats/status', { id: chat.id, ...extra }), { code: 'status', message: 'This value should not be blank.' });
  });

  it('all failing fields in one 400, before the chat is looked up', async () => {
    expect400(
      await api.put('/v1/chats/status', { id: 'x', status: 'bogus' }),
      { code: 'id', message: 'This value should be of type numeric.' },
      { code: 'status', message: CHOICE },
    );
    expect400(await api.put('/v1/chats/status', { id: 999999, status: 'bogus' }), { code: 'status', message: CHOICE });
  });

  it('unknown chat → the single not_fount 404', async () => {
    expectError(await api.put('/v1/chats/status', { id: 999999, status: 'closed' }), 404, CHAT_MISSING(999999));
  });
});

describe('PUT /v1/chats/department', () => {
  it('sets the department → 200 Chat with {id, name}; no event (API.md §4.5 lists none)', async () => {
    t.clock.set(T0 + 5);
    const res = await api.put('/v1/chats/department', { id: chat.id, department: String(dept.id) });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(CHAT_KEYS);
    expect(res.body.department).toEqual({ id: dept.id, name: 'Billing' });
    expect(Object.keys(res.body.department)).toEqual(['id', 'name']);
    expect(res.body).toEqual({ ...(await api.get(`/v1/chats/${chat.id}`)).body });
    expect(await events(chat.id)).toEqual([]);
    expect((await row(chat.id)).updated_at).toBe(T0 + 5);
  });

  it('null takes the chat out of its department; null again changes nothing', async () => {
    await api.put('/v1/chats/department', { id: chat.id, department: dept.id });
    t.clock.set(T0 + 7);
    expect((await api.put('/v1/chats/department', { id: chat.id, department: null })).body.department).toBeNull();
    t.clock.set(T0 + 9);
    expect((await api.put('/v1/chats/department', { id: chat.id, department: null })).body.department).toBeNull();
    expect(await row(chat.id)).toMatchObject({ department_id: null, updated_at: T0 + 7 });
  });

  it('department key absent → 400 missing', async () => {
    expect400(await api.put('/v1/chats/department', { id: chat.id }), { code: 'department', message: 'This field is missing.' });
  });

  const NUMERIC = 'This value should be of type numeric.';
  it.each([['abc', NUMERIC], [true, NUMERIC], [0, 'This value should be positive.'], [1.5, 'This value should be of type integer.']])('department %j → 400 %s', async (department, message) => {
    expect400(await api.put('/v1/chats/department', { id: chat.id, department }), { code: 'department', message });
  });

  it("unknown and another organization's department → the same 400; nothing changes", async () => {
    const foreign = await f.department(other.org.id);
    const rm = await api.put('/v1/chats/department', { id: chat.id, department: 987654 });
    expect400(rm, { code: 'department', message: 'Department for ID "987654" was not found' });
    const rf = await api.put('/v1/chats/department', { id: chat.id, department: foreign.id });
    expect400(rf, { code: 'department', message: `Department for ID "${foreign.id}" was not found` });
    expect((await row(chat.id)).department_id).toBeNull();
  });

  it('the chat is checked before the department (API.md §5 order)', async () => {
    expectError(await api.put('/v1/chats/department', { id: 999999, department: 987654 }), 404, CHAT_MISSING(999999));
  });
});

describe('PUT /v1/chats/rate', () => {
  const closeWithAgent = async (chatId: number) => {
    await setChat(chatId, { status: 'closed', closed_at: T0, closed_by: 'agent' });
    await addAgentMessage(chatId, w.agents[1].id);
  };

  it('a closed, unrated chat with an agent message → 200 Chat with the rating; one chat.rated', async () => {
    await closeWithAgent(chat.id);
    const res = await api.put('/v1/chats/rate', { id: chat.id, rating: 'very poor' });
    const shape = { ...newChatShape(chat), closedBy: 'agent', status: 'closed', closedAt: String(T0), rating: 'very poor' };
    expectExact(res, 200, { ...shape, agents: [agentRef(w.agents[1])] });
    expect(await events(chat.id)).toEqual([{ event: 'chat.rated', orgId: w.org.id, data: { chat: res.body } }]);
  });

  it.each([['perfect'], ['great'], ['average'], ['poor'], ['very poor']])('rating %j is accepted', async (rating) => {
    await closeWithAgent(chat.id);
    expect((await api.put('/v1/chats/rate', { id: chat.id, rating })).body.rating).toBe(rating);
  });

  it('a chat that is not closed → 400 with the reason; nothing changes', async () => {
    await addAgentMessage(chat.id, w.agents[0].id);
    await setChat(chat.id, { status: 'opened' });
    expect400(await api.put('/v1/chats/rate', { id: chat.id, rating: 'great' }), { code: 'rating', message: RATE_REFUSED.notClosed });
    expect((await row(chat.id)).rating).toBeNull();
    expect(await events(chat.id)).toEqual([]);
  });

  it('a closed chat no agent wrote in → 400 with the reason', async () => {
    await setChat(chat.id, { status: 'closed', closed_at: T0, closed_by: 'customer' });
    expect400(await api.put('/v1/chats/rate', { id: chat.id, rating: 'great' }), { code: 'rating', message: RATE_REFUSED.noAgentMessage });
    expect((await row(chat.id)).rating).toBeNull();
  });

  it('a chat already rated → 400, even with the same rating; the first rating stays', async () => {
    await closeWithAgent(chat.id);
    await api.put('/v1/chats/rate', { id: chat.id, rating: 'great' });
    for (const rating of ['great', 'poor']) {
      expect400(await api.put('/v1/chats/rate', { id: chat.id, rating }), { code: 'rating', message: RATE_REFUSED.rated });
    }
    expect((await row(chat.id)).rating).toBe('great');
    expect((await events(chat.id)).map((e) => e.event)).toEqual(['chat.rated']);
  });

  it("another chat's agent message does not count", async () => {
    const answered = await f.chat(w.org.id, { applicationId: w.org.applicationId });
    await addAgentMessage(answered.id, w.agents[0].id);
    await setChat(chat.id, { status: 'closed' });
    expect400(await api.put('/v1/chats/rate', { id: chat.id, rating: 'great' }), { code: 'rating', message: RATE_REFUSED.noAgentMessage });
  });

  it.each([['excellent'], ['Very Poor'], ['very_poor'], [5]])('rating %j → 400 not a valid choice', async (rating) => {
    await closeWithAgent(chat.id);
    expect400(await api.put('/v1/chats/rate', { id: chat.id, rating }), { code: 'rating', message: CHOICE });
  });

  it('rating absent → 400 blank; shapes before the chat', async () => {
    expect400(await api.put('/v1/chats/rate', { id: chat.id }), { code: 'rating', message: 'This value should not be blank.' });
    expect400(await api.put('/v1/chats/rate', { id: 999999, rating: 'bad' }), { code: 'rating', message: CHOICE });
  });

  it('unknown chat → the single not_fount 404', async () => {
    expectError(await api.put('/v1/chats/rate', { id: 999999, rating: 'great' }), 404, CHAT_MISSING(999999));
  });
});

describe('PUT /v1/chats/readByAgent, /readByCustomer, /read', () => {
  it.each([
    ['/v1/chats/readByAgent', { readByAgent: true, readByCustomer: false }],
    ['/v1/chats/readByCustomer', { readByAgent: false, readByCustomer: true }],
    ['/v1/chats/read', { readByAgent: true, readByCustomer: true }],
  ])('%s {read: true} → 200 Chat with the flags; no event', async (path, flags) => {
    t.clock.set(T0 + 3);
    const res = await api.put(path, { id: chat.id, read: true });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(CHAT_KEYS);
    expect(res.body).toMatchObject(flags);
    expect((await row(chat.id)).updated_at).toBe(T0 + 3);
    expect(await events(chat.id)).toEqual([]);
  });

  it('read: false clears; each route touches only its own flag', async () => {
    await api.put('/v1/chats/read', { id: chat.id, read: true });
    expect((await api.put('/v1/chats/readByCustomer', { id: chat.id, read: false })).body).toMatchObject({ readByAgent: true, readByCustomer: false });
    expect((await api.put('/v1/chats/readByAgent', { id: chat.id, read: false })).body).toMatchObject({ readByAgent: false, readByCustomer: false });
    await api.put('/v1/chats/readByAgent', { id: chat.id, read: true });
    expect((await api.put('/v1/chats/read', { id: chat.id, read: false })).body).toMatchObject({ readByAgent: false, readByCustomer: false });
  });

  it('no change → updatedAt kept', async () => {
    t.clock.set(T0 + 30);
    await api.put('/v1/chats/readByAgent', { id: chat.id, read: false });
    expect((await row(chat.id)).updated_at).toBe(T0);
  });

  it.each([['true'], [1], [0], ['yes'], [{}]])('read %j → 400 boolean', async (read) => {
    for (const path of ['/v1/chats/readByAgent', '/v1/chats/readByCustomer', '/v1/chats/read']) {
      expect400(await api.put(path, { id: chat.id, read }), { code: 'read', message: 'This value should be of type boolean.' });
    }
  });

  it.each([['absent', {}], ['null', { read: null }]])('read %s → 400 blank', async (_, extra) => {
    expect400(await api.put('/v1/chats/read', { id: chat.id, ...extra }), { code: 'read', message: 'This value should not be blank.' });
  });

  it('unknown chat → the single not_fount 404 on each', async () => {
    for (const path of ['/v1/chats/readByAgent', '/v1/chats/readByCustomer', '/v1/chats/read']) {
      expectError(await api.put(path, { id: '999999', read: true }), 404, CHAT_MISSING(999999));
    }
  });
});

describe('every change route', () => {
  // Each body would change the other organization's chat if it were the caller's.
  const ROUTES: Array<[string, () => Record<string, unknown>]> = [
    ['/v1/chats/status', () => ({ status: 'pending' })],
    ['/v1/chats/department', () => ({ department: dept.id })],
    ['/v1/chats/snooze', () => ({ snoozedUntil: T0 + 600 })],
    ['/v1/chats/rate', () => ({ rating: 'great' })],
    ['/v1/chats/readByAgent', () => ({ read: true })],
    ['/v1/chats/readByCustomer', () => ({ read: true })],
    ['/v1/chats/read', () => ({ read: true })],
  ];
  beforeAll(async () => {
    // closed, unrated and answered: rateable, so only the organization stands in the way
    await setChat(other.chat.id, { status: 'closed', closed_at: T0, closed_by: 'agent' });
    const answer = { organization_id: other.org.id, chat_id: other.chat.id, agent_id: other.agents[0].id, created_at: T0 };
    await t.database.write((trx) => trx.insertInto('chat_agents').values(answer).execute());
  });

  it.each(ROUTES)("%s: another organization's chat → exactly the 404 of a missing id; nothing of it changes", async (path, fields) => {
    const before = { chat: await row(other.chat.id), outbox: (await events(other.chat.id)).length };
    const rf = await api.put(path, { id: other.chat.id, ...fields() });
    const rm = await api.put(path, { id: 99_999_999, ...fields() });
    expectError(rf, 404, CHAT_MISSING(other.chat.id));
    expect(rf.text.replace(String(other.chat.id), 'ID')).toBe(rm.text.replace('99999999', 'ID'));
    expect({ chat: await row(other.chat.id), outbox: (await events(other.chat.id)).length }).toEqual(before);
  });

  it.each(ROUTES)('%s: id absent → 400 blank; id -1 → 400 positive', async (path, fields) => {
    expect400(await api.put(path, fields()), { code: 'id', message: 'This value should not be blank.' });
    expect400(await api.put(path, { id: -1, ...fields() }), { code: 'id', message: 'This value should be positive.' });
  });

  it.each(ROUTES)('%s: no key → 401', async (path, fields) => {
    expect((await client(t.app, null).put(path, { id: chat.id, ...fields() })).status).toBe(401);
  });
});
