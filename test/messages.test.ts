// POST /v1/messages and GET /v1/chats/{id}/messages (API.md §3, §4.1, §4.4, §4.5, §5).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatStatus } from '../src/db/schema.ts';
import { buildTestApp, client, T0, type Client, type TestApp } from './helpers/app.ts';
import { agentRef, CHAT_KEYS, expect400, expectError, expectExact, INVALID } from './helpers/expect.ts';
import { factories } from './helpers/factories.ts';

type World = Awaited<ReturnType<ReturnType<typeof factories>['world']>>;

let t: TestApp;
let f: ReturnType<typeof factories>;
let api: Client;
let w: World;
let other: World;

const MESSAGE_KEYS = ['id', 'agent', 'type', 'text', 'read', 'createdAt', 'updatedAt', 'edited', 'broadcastType', 'chat', 'from'];

beforeAll(async () => {
  t = await buildTestApp();
  f = factories(t.database, t.clock);
  w = await f.world();
  other = await f.world();
  api = client(t.app, w.org.apiKey);
});
afterAll(() => t.close());

const newChat = () => f.chat(w.org.id, { applicationId: w.org.applicationId });
const getChat = async (id: number) => (await api.get(`/v1/chats/${id}`)).body;
const setChat = (id: number, values: Record<string, unknown>) => t.database.write((trx) => trx.updateTable('chats').set(values).where('id', '=', id).execute());
/** outbox events of one chat after `chat.new`, oldest first */
const events = async (chatId: number) =>
  (await t.database.db.selectFrom('outbox').select(['event', 'event_data']).where('chat_id', '=', chatId).orderBy('id').execute())
    .filter((e) => e.event !== 'chat.new')
    .map((e) => ({ event: e.event, data: JSON.parse(e.event_data) }));
const messageRows = (chatId: number) => t.database.db.selectFrom('messages').selectAll().where('chat_id', '=', chatId).orderBy('id').execute();
const post = (body: unknown) => api.post('/v1/messages', body);
/** the Message (API.md §3, key order included) that a post at the clock's current time answers */
const expected = (id: number, chat: number, m: { text: string; from: string; agent?: unknown; type?: string }) => ({
  id, agent: m.agent ?? null, type: m.type ?? 'message', text: m.text, read: false, createdAt: String(t.clock.now()),
  updatedAt: String(t.clock.now()), edited: false, broadcastType: null, chat, from: m.from,
});

describe('POST /v1/messages', () => {
  it('a customer message → 200 Message; the chat becomes new and unread by agents; message.chat.customer + chat.status_updated', async () => {
    const chat = await newChat();
    t.clock.advance(30);
    const res = await post({ chat: chat.id, text: 'Hello, anyone there?' });
    expectExact(res, 200, expected(res.body.id, chat.id, { text: 'Hello, anyone there?', from: 'customer' }));
    expect(Object.keys(res.body)).toEqual(MESSAGE_KEYS);
    expect(Number.isInteger(res.body.id)).toBe(true);

    const after = await getChat(chat.id);
    expect(Object.keys(after)).toEqual(CHAT_KEYS);
    expect(after).toEqual({
      ...chat,
      status: 'new',
      lastMessageAt: String(t.clock.now()),
      lastCustomerMessageAt: String(t.clock.now()),
      lastMessageText: 'Hello, anyone there?',
      lastMessageId: res.body.id,
      readByAgent: false,
      readByCustomer: true,
    });

    const ev = await events(chat.id);
    expect(ev.map((e) => e.event)).toEqual(['message.chat.customer', 'chat.status_updated']);
    expect(ev[0].data).toEqual({ message: res.body, chat: after });
    expect(JSON.stringify(ev[0].data.message)).toBe(res.text);
    expect(ev[1].data).toEqual({ chat: after });
  });

  it('an agent reply → AgentRef and from "agent"; a new chat becomes opened; agents, lastCommunicatedAgentId, read flags follow', async () => {
    const chat = await newChat();
    const first = await post({ chat: chat.id, text: 'Hi' });
    t.clock.advance(45);
    const agent = w.agents[1];
    const res = await post({ chat: chat.id, text: 'How can I help?', agent: agent.id, type: 'message' });
    expectExact(res, 200, expected(res.body.id, chat.id, { text: 'How can I help?', from: 'agent', agent: agentRef(agent) }));
    expect(Object.keys(res.body.agent)).toEqual(['id', 'name', 'email', 'role']);

    const after = await getChat(chat.id);
    expect(after).toMatchObject({
      status: 'opened',
      lastMessageAt: String(t.clock.now()),
      lastCustomerMessageAt: first.body.createdAt, // an agent's message is not the customer's
      lastMessageText: 'How can I help?',
      lastMessageId: res.body.id,
      lastCommunicatedAgentId: agent.id,
      agents: [agentRef(agent)],
      readByAgent: true,
      readByCustomer: false,
    });
    const ev = await events(chat.id);
    expect(ev.map((e) => e.event)).toEqual(['message.chat.customer', 'chat.status_updated', 'message.chat.agent', 'chat.status_updated']);
    expect(ev[2].data).toEqual({ message: res.body, chat: after });
    expect(ev[3].data).toEqual({ chat: after });
  });

  it('a private note → type "private", message.private only; the chat as the customer sees it does not move', async () => {
    const chat = await newChat();
    await post({ chat: chat.id, text: 'Hi' });
    await post({ chat: chat.id, text: 'Hello!', agent: w.agents[0].id });
    const before = await getChat(chat.id);
    const eventsBefore = (await events(chat.id)).length;
    t.clock.advance(10);
    const res = await post({ chat: chat.id, text: 'VIP customer, be nice', type: 'private', agent: w.agents[2].id });
    expectExact(res, 200, expected(res.body.id, chat.id, { text: 'VIP customer, be nice', from: 'agent', agent: agentRef(w.agents[2]), type: 'private' }));
    const after = await getChat(chat.id);
    expect(after).toEqual(before); // last message, read flags, status, agents, lastCommunicatedAgentId
    const ev = (await events(chat.id)).slice(eventsBefore);
    expect(ev).toEqual([{ event: 'message.private', data: { message: res.body, chat: after } }]);
    const row = await t.database.db.selectFrom('chats').select('updated_at').where('id', '=', chat.id).executeTakeFirstOrThrow();
    expect(row.updated_at).toBe(t.clock.now());
  });

  describe('status transitions', () => {
    const cases: Array<[ChatStatus, 'customer' | 'agent', ChatStatus]> = [
      ['empty', 'customer', 'new'], ['closed', 'customer', 'new'], ['new', 'customer', 'new'], ['opened', 'customer', 'opened'],
      ['pending', 'customer', 'pending'], ['onhold', 'customer', 'onhold'], ['no communication', 'customer', 'no communication'],
      ['new', 'agent', 'opened'], ['empty', 'agent', 'opened'] /* our choice */, ['opened', 'agent', 'opened'], ['pending', 'agent', 'pending'],
      ['onhold', 'agent', 'onhold'], ['no communication', 'agent', 'no communication'], ['closed', 'agent', 'closed'],
    ];
    it.each(cases)('%s chat + %s message → %s, chat.status_updated only when it moved', async (status, from, expected) => {
      const chat = await newChat();
      await setChat(chat.id, { status });
      const res = await post({ chat: chat.id, text: 'x', ...(from === 'agent' ? { agent: w.agents[0].id } : {}) });
      expect(res.status).toBe(200);
      expect((await getChat(chat.id)).status).toBe(expected);
      const names = (await events(chat.id)).map((e) => e.event);
      expect(names).toEqual([`message.chat.${from}`, ...(status === expected ? [] : ['chat.status_updated'])]);
    });

    it('a private note never moves the status, even of an empty or closed chat', async () => {
      for (const status of ['empty', 'closed', 'new'] as const) {
        const chat = await newChat();
        await setChat(chat.id, { status });
        await post({ chat: chat.id, text: 'note', type: 'private', agent: w.agents[0].id });
        expect((await getChat(chat.id)).status).toBe(status);
        expect((await events(chat.id)).map((e) => e.event)).toEqual(['message.private']);
      }
    });

    it('a customer reopening a closed chat clears closedAt and closedBy; the rating stays', async () => {
      const chat = await newChat();
      await setChat(chat.id, { status: 'closed', closed_at: T0, closed_by: 'agent', rating: 'great' });
      await post({ chat: chat.id, text: 'One more question' });
      expect(await getChat(chat.id)).toMatchObject({ status: 'new', closedAt: null, closedBy: null, rating: 'great' });
    });

    it('an agent writing to a closed chat leaves it closed, closedAt and closedBy included', async () => {
      const chat = await newChat();
      await setChat(chat.id, { status: 'closed', closed_at: T0, closed_by: 'customer' });
      await post({ chat: chat.id, text: 'Follow-up', agent: w.agents[0].id });
      expect(await getChat(chat.id)).toMatchObject({ status: 'closed', closedAt: String(T0), closedBy: 'customer' });
    });
  });

  it('Chat.agents: each agent once, in the order they first wrote; private notes do not count', async () => {
    const chat = await newChat();
    const [a0, a1, a2] = w.agents;
    await post({ chat: chat.id, text: 'note first', type: 'private', agent: a1.id });
    t.clock.advance(1);
    const firstAt = t.clock.now();
    await post({ chat: chat.id, text: 'one', agent: a2.id });
    t.clock.advance(1);
    await post({ chat: chat.id, text: 'two', agent: a0.id });
    t.clock.advance(1);
    await post({ chat: chat.id, text: 'three', agent: a2.id });
    const after = await getChat(chat.id);
    expect(after.agents).toEqual([agentRef(a2), agentRef(a0)]); // not id order: a2 wrote first
    expect(after.lastCommunicatedAgentId).toBe(a2.id);
    const rows = await t.database.db.selectFrom('chat_agents').select(['agent_id', 'created_at']).where('chat_id', '=', chat.id).orderBy('created_at').execute();
    expect(rows).toEqual([
      { agent_id: a2.id, created_at: firstAt },
      { agent_id: a0.id, created_at: firstAt + 1 },
    ]);
  });

  it('concurrent messages to one chat serialise: the last written is the last message, every agent is listed once', async () => {
    const chat = await newChat();
    const bodies = Array.from({ length: 20 }, (_, i) => ({ chat: chat.id, text: `m${i}`, ...(i % 2 ? { agent: w.agents[i % 3].id } : {}) }));
    const answers = await Promise.all(bodies.map(post));
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(200));
    const newest = (await api.get(`/v1/chats/${chat.id}/messages?limit=1`)).body;
    expect(newest.total).toBe(20);
    const after = await getChat(chat.id);
    expect(after.lastMessageId).toBe(newest.data[0].id);
    expect(after.lastMessageText).toBe(newest.data[0].text);
    expect(after.agents.map((a: { id: number }) => a.id).sort()).toEqual(w.agents.map((a) => a.id).sort());
    expect((await events(chat.id)).filter((e) => e.event.startsWith('message.')).length).toBe(20);
  });

  it('read flags flip with each side that writes', async () => {
    const chat = await newChat();
    const flags = async () => {
      const c = await getChat(chat.id);
      return [c.readByAgent, c.readByCustomer];
    };
    await post({ chat: chat.id, text: 'c1' });
    expect(await flags()).toEqual([false, true]);
    await post({ chat: chat.id, text: 'a1', agent: w.agents[0].id });
    expect(await flags()).toEqual([true, false]);
    await post({ chat: chat.id, text: 'private', type: 'private', agent: w.agents[0].id });
    expect(await flags()).toEqual([true, false]);
    await post({ chat: chat.id, text: 'c2' });
    expect(await flags()).toEqual([false, true]);
  });

  it('ids as digit strings; type defaults to "message" (absent, null or ""); markdownText is stored beside text and answered as text, no markdownText key (messages-markdown.test.ts); unknown fields ignored', async () => {
    const chat = await newChat();
    for (const type of [undefined, null, '']) {
      const res = await post({ chat: String(chat.id), text: 'hi', type, agent: String(w.agents[0].id), markdownText: '**hi**', extra: 1 });
      expect(res.status).toBe(200);
      expect(res.body.type).toBe('message');
      expect(res.body.text).toBe('**hi**');
      expect(Object.keys(res.body)).toEqual(MESSAGE_KEYS);
    }
    const rows = await messageRows(chat.id);
    expect(rows.map((r) => [r.text, r.markdown_text, r.type, r.from, r.read])).toEqual(Array(3).fill(['hi', '**hi**', 'message', 'agent', 0]));
  });

  describe('errors', () => {
    const blank = 'This value should not be blank.';
    const str = 'This value should be of type string.';
    const choiceReason = 'The value you selected is not a valid choice.';
    // [what, body ('$chat'/'$agent' = the world's chat/agent), every item of the 400 in order]
    const SHAPES: Array<[string, Record<string, unknown>, Array<[string, string]>]> = [
      ['no fields', {}, [['chat', blank], ['text', blank]]],
      ['text ""', { chat: '$chat', text: '' }, [['text', blank]]],
      ['text null', { chat: '$chat', text: null }, [['text', blank]]],
      ['text number', { chat: '$chat', text: 5 }, [['text', str]]],
      ['text boolean', { chat: '$chat', text: true }, [['text', str]]],
      ['text object', { chat: '$chat', text: { a: 1 } }, [['text', str]]],
      ['text too long', { chat: '$chat', text: 'x'.repeat(65_536) }, [['text', 'This value is too long. It should have 65535 characters or less.']]],
      ...['tech', 'email', 'knowledgeBase', 'bogus', 'Message', 5].map(
        (type): [string, Record<string, unknown>, Array<[string, string]>] => [`type ${JSON.stringify(type)}`, { chat: '$chat', text: 'x', type, agent: '$agent' }, [['type', choiceReason]]],
      ),
      ['agent "abc"', { chat: '$chat', text: 'x', agent: 'abc' }, [['agent', 'This value should be of type numeric.']]],
      ['agent 0', { chat: '$chat', text: 'x', agent: 0 }, [['agent', 'This value should be positive.']]],
      ['agent 1.5', { chat: '$chat', text: 'x', agent: 1.5 }, [['agent', 'This value should be of type integer.']]],
      ['chat "abc"', { chat: 'abc', text: 'x' }, [['chat', 'This value should be of type numeric.']]],
      ['chat -1', { chat: -1, text: 'x' }, [['chat', 'This value should be positive.']]],
      ['markdownText number', { chat: '$chat', text: 'x', markdownText: 7 }, [['markdownText', str]]],
      // a private note needs no agent (messages-private-note.test.ts), but a bad one is still refused
      ['a private note with agent "abc"', { chat: '$chat', text: 'x', type: 'private', agent: 'abc' }, [['agent', 'This value should be of type numeric.']]],
      [
        'everything at once, in field order',
        { chat: 'x', text: '', type: 'private', agent: 0, markdownText: 7 },
        [['chat', 'This value should be of type numeric.'], ['text', blank], ['agent', 'This value should be positive.'], ['markdownText', str]],
      ],
    ];
    it.each(SHAPES)('%s → one 400 listing every failing field; nothing written', async (_, raw, items) => {
      const body = { ...raw };
      if (body.chat === '$chat') body.chat = w.chat.id;
      if (body.agent === '$agent') body.agent = w.agents[0].id;
      expect400(await post(body), ...items.map(([code, message]) => ({ code, message })));
      expect(await messageRows(w.chat.id)).toEqual([]);
    });

    it('a body that is not an object → 400 on body; malformed JSON → 400', async () => {
      expect400(await post('[1]'), { code: 'body', message: 'This value should be of type object.' });
      expect400(await post('{"chat": 1,'), { code: 'body', message: 'Malformed JSON.' });
    });

    it('unknown chat → the single-item not_fount 404; checked after shapes, before the agent (API.md §5)', async () => {
      const notFount = { code: 'not_fount', message: 'Chat for ID "542335" was not found' };
      expectError(await post({ chat: 542335, text: 'x' }), 404, notFount);
      expectError(await post({ chat: '542335', text: 'x', agent: 999999 }), 404, notFount);
      expect400(await post({ chat: 542335, text: '' }), { code: 'text', message: 'This value should not be blank.' });
    });

    it('unknown or deactivated agent → 400 naming agent; nothing is written', async () => {
      const chat = await newChat();
      const before = await getChat(chat.id);
      const gone = await f.agent(w.org.id, { active: false });
      expect400(await post({ chat: chat.id, text: 'x', agent: 987654 }), { code: 'agent', message: 'Agent for ID "987654" was not found' });
      expect400(await post({ chat: chat.id, text: 'x', agent: gone.id, type: 'private' }), { code: 'agent', message: `Agent for ID "${gone.id}" is deactivated` });
      expect(await messageRows(chat.id)).toEqual([]);
      expect(await events(chat.id)).toEqual([]);
      expect(await getChat(chat.id)).toEqual(before);
    });

    it('missing or bad key → 401', async () => {
      const unauthorized = [INVALID, { code: 'unauthorized', message: 'Unauthorized' }];
      expectError(await client(t.app, null).post('/v1/messages', { chat: w.chat.id, text: 'x' }), 401, ...unauthorized);
      expectError(await client(t.app, 'hk_nope').post('/v1/messages', { chat: w.chat.id, text: 'x' }), 401, ...unauthorized);
      expect(await messageRows(w.chat.id)).toEqual([]);
    });
  });

  describe('tenant isolation', () => {
    const snapshot = async () => ({
      chat: (await client(t.app, other.org.apiKey).get(`/v1/chats/${other.chat.id}`)).body,
      messages: await messageRows(other.chat.id),
      outbox: await t.database.db.selectFrom('outbox').select('id').where('organization_id', '=', other.org.id).execute(),
    });

    it("another organization's chat → exactly the answer of a missing chat; nothing of it changes", async () => {
      const before = await snapshot();
      const foreign = await post({ chat: other.chat.id, text: 'x' });
      const missing = await post({ chat: 99_999_999, text: 'x' });
      expectError(foreign, 404, { code: 'not_fount', message: `Chat for ID "${other.chat.id}" was not found` });
      expect(foreign.text.replaceAll(String(other.chat.id), 'ID')).toBe(missing.text.replaceAll('99999999', 'ID'));
      expect(await snapshot()).toEqual(before);
    });

    it("another organization's agent → the same 400 as a missing agent; nothing is written", async () => {
      const chat = await newChat();
      const stranger = other.agents[0];
      expect400(await post({ chat: chat.id, text: 'x', agent: stranger.id }), { code: 'agent', message: `Agent for ID "${stranger.id}" was not found` });
      expect(await messageRows(chat.id)).toEqual([]);
      expect((await getChat(chat.id)).status).toBe('empty');
    });

    it("another organization cannot read this organization's messages", async () => {
      const chat = await newChat();
      await post({ chat: chat.id, text: 'secret' });
      expectError(await client(t.app, other.org.apiKey).get(`/v1/chats/${chat.id}/messages`), 404, INVALID, { code: 'not_found', message: 'Chat not found' });
    });
  });
});

describe('GET /v1/chats/{id}/messages', () => {
  it('{data: [Message], total}, newest first, exact shapes', async () => {
    const chat = await newChat();
    const c1 = (await post({ chat: chat.id, text: 'Hi' })).body;
    t.clock.advance(5);
    const a1 = (await post({ chat: chat.id, text: 'Hello', agent: w.agents[0].id })).body;
    t.clock.advance(5);
    const p1 = (await post({ chat: chat.id, text: 'note', type: 'private', agent: w.agents[1].id })).body;
    const res = await api.get(`/v1/chats/${chat.id}/messages`);
    expectExact(res, 200, { data: [p1, a1, c1], total: 3 });
    expect(Object.keys(res.body)).toEqual(['data', 'total']);
    expect(res.body.data.map((m: object) => Object.keys(m))).toEqual(Array(3).fill(MESSAGE_KEYS));
    expect(res.body.data.map((m: { agent: unknown }) => m.agent)).toEqual([agentRef(w.agents[1]), agentRef(w.agents[0]), null]);
  });

  it('messages of the same second come newest id first (createdAt desc, id desc, API.md §5); other chats are not listed', async () => {
    const chat = await newChat();
    const ids: number[] = [];
    for (const text of ['a', 'b', 'c']) ids.push((await post({ chat: chat.id, text })).body.id);
    await post({ chat: (await newChat()).id, text: 'elsewhere' });
    const res = (await api.get(`/v1/chats/${chat.id}/messages/`)).body; // trailing slash ignored (API.md §1)
    expect(res.data.map((m: { id: number }) => m.id)).toEqual([...ids].reverse());
    expect(res.total).toBe(3);
  });

  it('an empty chat → {data: [], total: 0}', async () => {
    expectExact(await api.get(`/v1/chats/${(await newChat()).id}/messages`), 200, { data: [], total: 0 });
  });

  it('paging walk with limit 7 returns every message exactly once, newest first', async () => {
    const chat = await newChat();
    const posted: Array<{ id: number; createdAt: string }> = [];
    for (let i = 0; i < 23; i++) {
      if (i % 3 === 0) t.clock.advance(1); // runs of equal createdAt, so the id tie-break matters
      posted.push((await post({ chat: chat.id, text: `m${i}`, ...(i % 2 ? { agent: w.agents[i % 3].id } : {}) })).body);
    }
    const expected = [...posted].sort((x, y) => Number(y.createdAt) - Number(x.createdAt) || y.id - x.id).map((m) => m.id);
    const seen: number[] = [];
    for (let offset = 0; ; offset += 7) {
      const page = await api.get(`/v1/chats/${chat.id}/messages?offset=${offset}&limit=7`);
      expect(page.status).toBe(200);
      expect(page.body.total).toBe(23);
      expect(page.body.data.length).toBeLessThanOrEqual(7);
      if (page.body.data.length === 0) break;
      seen.push(...page.body.data.map((m: { id: number }) => m.id));
    }
    expect(seen).toEqual(expected);
    expect(new Set(seen).size).toBe(23);
  });

  it('limit above 100 is clamped to 100 (API.md §1)', async () => {
    const chat = await newChat();
    const at = t.clock.now();
    const row = (i: number) => ({ organization_id: w.org.id, chat_id: chat.id, type: 'message', text: `m${i}`, from: 'customer' as const, read: 0 as const, edited: 0 as const, created_at: at, updated_at: at });
    await t.database.write((trx) => trx.insertInto('messages').values(Array.from({ length: 101 }, (_, i) => row(i))).execute());
    const res = (await api.get(`/v1/chats/${chat.id}/messages?limit=500`)).body;
    expect(res.data).toHaveLength(100);
    expect(res.total).toBe(101);
    expect((await api.get(`/v1/chats/${chat.id}/messages`)).body.data).toHaveLength(100); // the default
  });

  it.each([
    ['limit=-1', 'limit', 'This value should be either positive or zero.'],
    ['offset=-3', 'offset', 'This value should be either positive or zero.'],
    ['limit=abc', 'limit', 'This value should be of type numeric.'],
    ['offset=1.5', 'offset', 'This value should be of type integer.'],
  ])('?%s → 400 naming %s', async (query, code, message) => {
    expect400(await api.get(`/v1/chats/${w.chat.id}/messages?${query}`), { code, message });
  });

  it.each([['424242'], ['abc'], ['0'], ['-1']])('chat %s unknown or not an id → the general 404', async (id) => {
    expectError(await api.get(`/v1/chats/${id}/messages`), 404, INVALID, { code: 'not_found', message: 'Chat not found' });
  });

  it("another organization's chat → exactly the general 404 of a missing one", async () => {
    const foreign = await api.get(`/v1/chats/${other.chat.id}/messages`);
    const missing = await api.get('/v1/chats/99999999/messages');
    expectError(foreign, 404, INVALID, { code: 'not_found', message: 'Chat not found' });
    expect(foreign.text).toBe(missing.text);
  });
});
