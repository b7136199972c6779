// `markdownText` on POST /v1/messages (issue 16): HelpCrunch's reference answers the markdown in
// the message's `text`. Both are stored; the markdown is the `text` of the POST answer, of
// GET /v1/chats/{id}/messages, of the message.* eventData, and the chat's `lastMessageText`
// (docs/compatibility.md, Messages).
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
const lastEvent = async (chatId: number, event: string) =>
  JSON.parse((await t.database.db.selectFrom('outbox').select('event_data').where('chat_id', '=', chatId).where('event', '=', event).orderBy('id', 'desc').executeTakeFirstOrThrow()).event_data);

describe('markdownText', () => {
  it.each([
    ['an agent', 'message.chat.agent', () => ({ agent: w.agents[0].id })],
    ['the customer', 'message.chat.customer', () => ({})],
  ])('from %s: text answers the markdown everywhere; both are stored; lastMessageText is the markdown', async (_, event, extra) => {
    const chat = await newChat();
    const res = await api.post('/v1/messages', { chat: chat.id, text: 'Your order shipped', markdownText: 'Your order **shipped**', ...extra() });
    expect(res.status).toBe(200);
    expect(res.body.text).toBe('Your order **shipped**');
    expect(res.body).not.toHaveProperty('markdownText');
    const row = await t.database.db.selectFrom('messages').select(['text', 'markdown_text']).where('id', '=', res.body.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ text: 'Your order shipped', markdown_text: 'Your order **shipped**' });
    expect((await api.get(`/v1/chats/${chat.id}/messages`)).body.data).toEqual([res.body]);
    const after = await getChat(chat.id);
    expect(after.lastMessageText).toBe('Your order **shipped**');
    expect(await lastEvent(chat.id, event)).toEqual({ message: res.body, chat: after });
  });

  it('absent, null or "" → text is the plain text', async () => {
    const chat = await newChat();
    for (const markdownText of [undefined, null, '']) {
      const res = await api.post('/v1/messages', { chat: chat.id, text: 'plain', markdownText });
      expect(res.body.text).toBe('plain');
      expect((await getChat(chat.id)).lastMessageText).toBe('plain');
    }
    expect((await t.database.db.selectFrom('messages').select('markdown_text').where('chat_id', '=', chat.id).execute()).map((r) => r.markdown_text)).toEqual([null, null, null]);
  });

  it('a private note with markdown: text is the markdown, and the chat does not move', async () => {
    const chat = await newChat();
    await api.post('/v1/messages', { chat: chat.id, text: 'Hi' });
    const before = await getChat(chat.id);
    const res = await api.post('/v1/messages', { chat: chat.id, text: 'VIP', markdownText: '_VIP_', type: 'private' });
    expect(res.body.text).toBe('_VIP_');
    expect(await getChat(chat.id)).toEqual(before);
    expect((await lastEvent(chat.id, 'message.private')).message.text).toBe('_VIP_');
  });

  it('text is still required beside markdownText; markdownText at most 65,535 characters', async () => {
    const chat = await newChat();
    expect400(await api.post('/v1/messages', { chat: chat.id, markdownText: '**x**' }), { code: 'text', message: 'This value should not be blank.' });
    expect400(await api.post('/v1/messages', { chat: chat.id, text: 'x', markdownText: 'y'.repeat(65_536) }), {
      code: 'markdownText',
      message: 'This value is too long. It should have 65535 characters or less.',
    });
    const ok = await api.post('/v1/messages', { chat: chat.id, text: 'x', markdownText: 'y'.repeat(65_535) });
    expect(ok.body.text).toHaveLength(65_535);
    expect((await getChat(chat.id)).lastMessageText).toHaveLength(65_535);
  });
});
