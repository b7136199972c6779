// POST /v1/messages with `type: "private"` and no `agent` (issue 16): HelpCrunch's reference
// requires `agent` only for a message from an agent, and integrations post notes without one.
// The note is the team's: `agent: null`, `from: "agent"`; it changes nothing the customer sees
// (docs/compatibility.md, Messages). With a session the session's agent writes it (inbox tests).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, client, type Client, type TestApp } from './helpers/app.ts';
import { expect400 } from './helpers/expect.ts';
import { factories } from './helpers/factories.ts';

type World = Awaited<ReturnType<ReturnType<typeof factories>['world']>>;

let t: TestApp;
let f: ReturnType<typeof factories>;
let api: Client;
let w: World;

beforeAll(async () => {
  t = await buildTestApp();
  f = factories(t.database, t.clock);
  w = await f.world();
  api = client(t.app, w.org.apiKey);
});
afterAll(() => t.close());

const newChat = () => f.chat(w.org.id, { applicationId: w.org.applicationId });
const getChat = async (id: number) => (await api.get(`/v1/chats/${id}`)).body;
const events = async (chatId: number) =>
  (await t.database.db.selectFrom('outbox').select(['event', 'event_data']).where('chat_id', '=', chatId).orderBy('id').execute())
    .filter((e) => e.event !== 'chat.new')
    .map((e) => ({ event: e.event, data: JSON.parse(e.event_data) }));

describe('a private note without agent', () => {
  it.each([
    ['agent absent', {}],
    ['agent null', { agent: null }],
  ])('%s → 200, agent null, from "agent"; message.private only; the chat as the customer sees it does not move', async (_, extra) => {
    const chat = await newChat();
    await api.post('/v1/messages', { chat: chat.id, text: 'Hi' });
    const before = await getChat(chat.id);
    t.clock.advance(5);
    const res = await api.post('/v1/messages', { chat: chat.id, text: 'Refund approved by billing', type: 'private', ...extra });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: res.body.id, agent: null, type: 'private', text: 'Refund approved by billing', read: false, createdAt: String(t.clock.now()),
      updatedAt: String(t.clock.now()), edited: false, broadcastType: null, chat: chat.id, from: 'agent',
    });
    const after = await getChat(chat.id);
    expect(after).toEqual(before); // status, last message, read flags, agents, lastCommunicatedAgentId
    expect((await events(chat.id)).slice(-1)).toEqual([{ event: 'message.private', data: { message: res.body, chat: after } }]);
    const listed = (await api.get(`/v1/chats/${chat.id}/messages`)).body.data[0];
    expect(listed).toEqual(res.body);
    const row = await t.database.db.selectFrom('messages').select(['agent_id', 'from', 'type']).where('id', '=', res.body.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ agent_id: null, from: 'agent', type: 'private' });
  });

  it('never moves the status, of an empty or closed chat either, and does not queue the chat for routing', async () => {
    for (const status of ['empty', 'closed'] as const) {
      const chat = await newChat();
      await t.database.write((trx) => trx.updateTable('chats').set({ status }).where('id', '=', chat.id).execute());
      expect((await api.post('/v1/messages', { chat: chat.id, text: 'note', type: 'private' })).status).toBe(200);
      expect((await getChat(chat.id)).status).toBe(status);
      expect((await events(chat.id)).map((e) => e.event)).toEqual(['message.private']);
      const queued = await t.database.db.selectFrom('chats').select('queued_at').where('id', '=', chat.id).executeTakeFirstOrThrow();
      expect(queued.queued_at).toBeNull();
    }
  });

  it('still refused: a bad or deactivated agent, a system type, a blank text', async () => {
    const chat = await newChat();
    const gone = await f.agent(w.org.id, { active: false });
    expect400(await api.post('/v1/messages', { chat: chat.id, text: 'x', type: 'private', agent: 987654 }), { code: 'agent', message: 'Agent for ID "987654" was not found' });
    expect400(await api.post('/v1/messages', { chat: chat.id, text: 'x', type: 'private', agent: gone.id }), { code: 'agent', message: `Agent for ID "${gone.id}" is deactivated` });
    expect400(await api.post('/v1/messages', { chat: chat.id, text: 'x', type: 'tech' }), { code: 'type', message: 'The value you selected is not a valid choice.' });
    expect400(await api.post('/v1/messages', { chat: chat.id, text: '', type: 'private' }), { code: 'text', message: 'This value should not be blank.' });
    expect((await api.get(`/v1/chats/${chat.id}/messages`)).body.total).toBe(0);
  });

  it('a message of type "message" without agent is still the customer\'s', async () => {
    const chat = await newChat();
    const res = await api.post('/v1/messages', { chat: chat.id, text: 'Hello', type: 'message' });
    expect(res.body).toMatchObject({ agent: null, from: 'customer', type: 'message' });
  });
});
