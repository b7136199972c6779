// The demo's chats tell coherent stories (issue 18 item 6): read back through the API as an
// integrator would, every chat's last-message fields name one of its own messages, its status
// and rating fit its messages, and its assignment history ends at its assignee, with every
// agent's answer written while that agent had the chat.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo, type DemoOrganization } from '../src/demo/seed.ts';
import { fixedClock } from '../src/lib/clock.ts';
import { buildTestApp, client, freshDatabase, T0, type Client, type TestApp } from './helpers/app.ts';

interface Message {
  id: number;
  chat?: number;
  from: 'agent' | 'customer';
  type: string;
  text: string;
  agent: { id: number } | null;
  createdAt: string | number;
}
interface Assignment {
  from: { id: number } | null;
  to: { id: number } | null;
  createdAt: string | number;
}
interface Story {
  chat: any;
  messages: Message[];
  history: Assignment[];
}

let t: TestApp;
let demo: DemoOrganization;
let api: Client;
const stories: Story[] = [];
const seconds = (v: string | number | null) => (v === null ? null : Number(v));

beforeAll(async () => {
  const d = await freshDatabase();
  demo = await seedDemo(d.database, fixedClock(T0));
  t = await buildTestApp({ database: d });
  api = client(t.app, demo.apiKey);
  for (const id of demo.chatIds) {
    const chat = (await api.get(`/v1/chats/${id}`)).body;
    // oldest first, for the story's order
    const messages = ((await api.get(`/v1/chats/${id}/messages?limit=100`)).body.data as Message[]).sort((a, b) => a.id - b.id);
    const history = (await api.get(`/v1/chats/${id}/assignments`)).body.data as Assignment[];
    stories.push({ chat, messages, history: [...history].sort((a, b) => seconds(a.createdAt)! - seconds(b.createdAt)!) });
  }
});
afterAll(() => t.close());

describe('the demo chats', () => {
  it('every lastMessageId names a message of that chat, whose text is lastMessageText', () => {
    expect(stories).toHaveLength(10);
    for (const { chat, messages } of stories) {
      const visible = messages.filter((m) => m.type !== 'private'); // a private note moves no last-message field
      const last = visible.at(-1);
      if (!last) {
        expect([chat.id, chat.status, chat.lastMessageId, chat.lastMessageText, chat.lastMessageAt]).toEqual([chat.id, 'empty', null, null, null]);
        continue;
      }
      expect(messages.map((m) => m.id)).toContain(chat.lastMessageId);
      expect([chat.id, chat.lastMessageId, chat.lastMessageText]).toEqual([chat.id, last.id, last.text]);
      expect(seconds(chat.lastMessageAt)).toBe(seconds(last.createdAt));
      const lastCustomer = visible.filter((m) => m.from === 'customer').at(-1);
      expect(seconds(chat.lastCustomerMessageAt)).toBe(lastCustomer ? seconds(lastCustomer.createdAt) : null);
      const lastAgent = visible.filter((m) => m.from === 'agent').at(-1);
      expect(chat.lastCommunicatedAgentId).toBe(lastAgent?.agent?.id ?? null);
    }
  });

  it('statuses and ratings fit the messages', () => {
    for (const { chat, messages } of stories) {
      const answered = messages.some((m) => m.from === 'agent' && m.type === 'message');
      const asked = messages.some((m) => m.from === 'customer');
      if (chat.status === 'empty') expect(messages).toEqual([]);
      if (chat.status === 'new' || chat.status === 'no communication') expect([chat.id, asked, answered]).toEqual([chat.id, true, false]);
      if (['opened', 'pending', 'onhold', 'closed'].includes(chat.status)) expect([chat.id, answered]).toEqual([chat.id, true]);
      if (chat.status === 'closed') {
        expect(seconds(chat.closedAt)).toBeGreaterThanOrEqual(seconds(chat.lastMessageAt)!);
        expect(chat.closedBy).toBe('agent');
      } else {
        expect([chat.id, chat.closedAt, chat.closedBy]).toEqual([chat.id, null, null]);
      }
      // a rating only on a closed chat an agent answered (the API's own rule)
      if (chat.rating !== null) expect([chat.id, chat.status, answered]).toEqual([chat.id, 'closed', true]);
      for (const m of messages) expect(seconds(m.createdAt)).toBeGreaterThanOrEqual(seconds(chat.createdAt)!);
      expect(seconds(chat.createdAt)).toBeLessThanOrEqual(T0); // a past, not a future
    }
    // every status a chat can have, and ratings, are there to try
    expect(new Set(stories.map((s) => s.chat.status))).toEqual(new Set(['new', 'opened', 'pending', 'onhold', 'closed', 'no communication', 'empty']));
    expect(stories.filter((s) => s.chat.rating !== null).length).toBeGreaterThanOrEqual(2);
  });

  it("the assignment history ends at the assignee, and every agent's answer came from the chat's assignee then", () => {
    for (const { chat, messages, history } of stories) {
      expect([chat.id, history.at(-1)?.to?.id ?? null]).toEqual([chat.id, chat.assignee?.id ?? null]);
      // each row starts where the one before ended
      history.forEach((row, i) => expect(row.from?.id ?? null).toBe(i === 0 ? null : history[i - 1].to?.id ?? null));
      for (const m of messages.filter((x) => x.from === 'agent')) {
        const holder = history.filter((h) => seconds(h.createdAt)! <= seconds(m.createdAt)!).at(-1);
        expect([chat.id, m.id, holder?.to?.id]).toEqual([chat.id, m.id, m.agent?.id]);
      }
      // Chat.agents: exactly those who answered
      const answeredBy = [...new Set(messages.filter((m) => m.from === 'agent' && m.type === 'message').map((m) => m.agent!.id))].sort();
      expect([chat.id, chat.agents.map((a: { id: number }) => a.id).sort()]).toEqual([chat.id, answeredBy]);
    }
    expect(stories.some((s) => s.history.length > 1)).toBe(true); // a chat handed on, to see in the history
  });

  it('the printed curl assigns an unassigned chat that a customer is waiting on', async () => {
    const first = stories.find((s) => s.chat.id === demo.chatIds[0])!;
    expect([first.chat.status, first.chat.assignee]).toEqual(['new', null]);
    const res = await api.put('/v1/chats/assignee', { id: demo.chatIds[0], assignee: demo.agentIds[1] });
    expect(res.status).toBe(200);
    expect(res.body.assignee.id).toBe(demo.agentIds[1]);
  });
});
