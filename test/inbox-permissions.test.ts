// Who may do what from the inbox (docs/inbox.md): the server enforces it. Assignments through
// assignChat with source "inbox" and the agent as assignedBy; a refusal is 403 and changes
// nothing (no history row, no event). Messages are the session agent's; presence is one's own
// unless admin or superviser; the organization setting is changed by admins or an API key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, client, type Client, type TestApp } from './helpers/app.ts';
import { expect400, expectError, expectExact, INVALID } from './helpers/expect.ts';
import { factories } from './helpers/factories.ts';
import { sessionFor, type TestSession } from './helpers/session.ts';

const ROLES = ['admin', 'superviser', 'agent', 'agentChatOnly'] as const;
type Role = (typeof ROLES)[number];
const supervising = (role: Role) => role === 'admin' || role === 'superviser';
const REFUSED_OTHERS_CHAT =
  'The chat is assigned to another agent: only an admin or a superviser may reassign it (or any agent, with the organization setting agentsMayReassign).';
const REFUSED_ASSIGN_OTHER =
  'An agent may only take an unassigned chat or unassign themselves: only an admin or a superviser may assign a chat to another agent.';

let t: TestApp;
let f: ReturnType<typeof factories>;

beforeAll(async () => {
  t = await buildTestApp();
  f = factories(t.database, t.clock);
});
afterAll(() => t.close());

type Agent = Awaited<ReturnType<typeof f.agent>>;
interface Desk {
  orgId: number;
  applicationId: number;
  api: Client;
  me: Agent;
  other: Agent;
  third: Agent;
  session: TestSession;
}

async function desk(role: Role, agentsMayReassign = false): Promise<Desk> {
  const org = await f.org();
  const api = client(t.app, org.apiKey);
  const me = await f.agent(org.id, { role, name: `Me ${role}` });
  const other = await f.agent(org.id, { name: 'Other' });
  const third = await f.agent(org.id, { name: 'Third' });
  if (agentsMayReassign) expect((await api.put('/v1/organization/settings', { agentsMayReassign: true })).status).toBe(200);
  return { orgId: org.id, applicationId: org.applicationId, api, me, other, third, session: await sessionFor(t, org.id, me.id) };
}

/** a chat of the desk's organization assigned to `assignee` (null: unassigned) through the API */
async function chatOf(d: Desk, assignee: number | null) {
  const chat = await f.chat(d.orgId, { applicationId: d.applicationId, ...(assignee === null ? {} : { assignee }) });
  return chat.id;
}

/** what a refusal must leave untouched: the chat, its history, the organization's outbox */
async function snapshot(d: Desk, chatId: number) {
  const outbox = await t.database.db.selectFrom('outbox').select('id').where('organization_id', '=', d.orgId).execute();
  return {
    chat: (await d.api.get(`/v1/chats/${chatId}`)).body,
    history: (await d.api.get(`/v1/chats/${chatId}/assignments`)).body,
    outbox: outbox.length,
  };
}

const ref = (a: Agent | null) => (a === null ? null : { id: a.id, name: a.name, email: a.email, role: a.role });

/** one inbox assignment: 200 with a history row `source: "inbox"` by the agent, or 403 changing nothing */
async function expectAssignment(d: Desk, from: Agent | null, to: Agent | null, allowed: boolean) {
  const chatId = await chatOf(d, from?.id ?? null);
  const before = await snapshot(d, chatId);
  const res = await d.session.api.put('/v1/chats/assignee', { id: chatId, assignee: to?.id ?? null });
  if (!allowed) {
    expect(res.status).toBe(403);
    expect(res.body.errors[0]).toEqual(INVALID);
    expect(res.body.errors[1].code).toBe('forbidden');
    expect(await snapshot(d, chatId)).toEqual(before);
    return;
  }
  expect(res.status).toBe(200);
  expect(res.body.assignee).toEqual(ref(to));
  const history = (await d.api.get(`/v1/chats/${chatId}/assignments`)).body.data;
  expect(history).toHaveLength(before.history.data.length + 1);
  expect(history.at(-1)).toMatchObject({
    from: ref(from),
    to: ref(to),
    assignedBy: { type: 'agent', id: d.me.id, name: d.me.name },
    source: 'inbox',
  });
  const events = await t.database.db.selectFrom('outbox').select('event').where('organization_id', '=', d.orgId).where('chat_id', '=', chatId).where('event', '=', 'chat.assigned').execute();
  expect(events).toHaveLength(before.history.data.length + 1);
}

describe('PUT /v1/chats/assignee from the inbox: the permission matrix', () => {
  for (const agentsMayReassign of [false, true]) {
    describe(`agentsMayReassign ${agentsMayReassign}`, () => {
      for (const role of ROLES) {
        const mayAssignOthers = supervising(role) || agentsMayReassign;
        it(`${role}: assign anyone ${mayAssignOthers ? 'yes' : 'no'}, take yes, unassign self yes, reassign another's chat ${mayAssignOthers ? 'yes' : 'no'}`, async () => {
          const d = await desk(role, agentsMayReassign);
          await expectAssignment(d, null, d.other, mayAssignOthers); // assign anyone: unassigned → another agent
          await expectAssignment(d, null, d.me, true); // take an unassigned chat
          await expectAssignment(d, d.me, null, true); // unassign themselves
          await expectAssignment(d, d.other, d.me, mayAssignOthers); // another's chat → themselves
          await expectAssignment(d, d.other, d.third, mayAssignOthers); // another's chat → a third agent
          await expectAssignment(d, d.other, null, mayAssignOthers); // another's chat → nobody
        });
      }
    });
  }

  it('the refusal says why, in the 403 envelope', async () => {
    const d = await desk('agent');
    expectError(await d.session.api.put('/v1/chats/assignee', { id: await chatOf(d, null), assignee: d.other.id }), 403, INVALID, { code: 'forbidden', message: REFUSED_ASSIGN_OTHER });
    expectError(await d.session.api.put('/v1/chats/assignee', { id: await chatOf(d, d.other.id), assignee: d.me.id }), 403, INVALID, { code: 'forbidden', message: REFUSED_OTHERS_CHAT });
    expectError(await d.session.api.put('/v1/chats/assignee', { id: await chatOf(d, d.me.id), assignee: d.other.id }), 403, INVALID, { code: 'forbidden', message: REFUSED_ASSIGN_OTHER });
  });

  it('naming the assignee a chat already has changes nothing and is not refused', async () => {
    const d = await desk('agent');
    const chatId = await chatOf(d, d.other.id);
    const before = await snapshot(d, chatId);
    const res = await d.session.api.put('/v1/chats/assignee', { id: chatId, assignee: d.other.id });
    expect(res.status).toBe(200);
    expect(await snapshot(d, chatId)).toEqual(before);
  });

  it('an API key is unaffected: source "api", any assignment', async () => {
    const d = await desk('agent');
    const chatId = await chatOf(d, d.other.id);
    expect((await d.api.put('/v1/chats/assignee', { id: chatId, assignee: d.third.id })).status).toBe(200);
    expect((await d.api.get(`/v1/chats/${chatId}/assignments`)).body.data.at(-1)).toMatchObject({ source: 'api', assignedBy: { type: 'api_key' } });
  });

  it('turning the setting on applies to the next assignment', async () => {
    const d = await desk('agent');
    const chatId = await chatOf(d, d.other.id);
    expect((await d.session.api.put('/v1/chats/assignee', { id: chatId, assignee: d.me.id })).status).toBe(403);
    expect((await d.api.put('/v1/organization/settings', { agentsMayReassign: true })).status).toBe(200);
    expect((await d.session.api.put('/v1/chats/assignee', { id: chatId, assignee: d.me.id })).status).toBe(200);
  });
});

describe('order of checks: field shapes (400) → the chat (404) → permission (403) → the assignee (400) → expectedAssignee (409)', () => {
  it('a malformed body is 400 and an unknown chat 404 before any permission', async () => {
    const d = await desk('agent');
    expect400(await d.session.api.put('/v1/chats/assignee', { id: 'x', assignee: d.other.id }), { code: 'id', message: 'This value should be of type numeric.' });
    expectExact(await d.session.api.put('/v1/chats/assignee', { id: 99_999_999, assignee: d.other.id }), 404, {
      errors: [{ code: 'not_fount', message: 'Chat for ID "99999999" was not found' }],
    });
  });

  it('a plain agent naming an unknown agent is refused (403) before the agent is looked up; an admin gets the 400', async () => {
    const d = await desk('agent');
    const chatId = await chatOf(d, null);
    expect((await d.session.api.put('/v1/chats/assignee', { id: chatId, assignee: 99_999_999 })).status).toBe(403);
    const admin = await sessionFor(t, d.orgId, (await f.agent(d.orgId, { role: 'admin' })).id);
    expect400(await admin.api.put('/v1/chats/assignee', { id: chatId, assignee: 99_999_999 }), { code: 'assignee', message: 'Agent for ID "99999999" was not found' });
  });

  it('403 comes before 409: a plain agent taking another agent\'s chat with a stale expectedAssignee', async () => {
    const d = await desk('agent');
    const chatId = await chatOf(d, d.other.id);
    expect((await d.session.api.put('/v1/chats/assignee', { id: chatId, assignee: d.me.id, expectedAssignee: null })).status).toBe(403);
    expect((await d.session.api.put('/v1/chats/assignee', { id: await chatOf(d, null), assignee: d.me.id, expectedAssignee: d.other.id })).status).toBe(409);
  });
});

describe('a permission race', () => {
  it('two plain agents take the same chat at once: exactly one wins, the other is refused', async () => {
    const d = await desk('agent');
    const rival = await sessionFor(t, d.orgId, d.other.id);
    for (let i = 0; i < 5; i++) {
      const chatId = await chatOf(d, null);
      const [mine, theirs] = await Promise.all([
        d.session.api.put('/v1/chats/assignee', { id: chatId, assignee: d.me.id }),
        rival.api.put('/v1/chats/assignee', { id: chatId, assignee: d.other.id }),
      ]);
      expect([mine.status, theirs.status].sort()).toEqual([200, 403]);
      const winner = mine.status === 200 ? d.me : d.other;
      expect((await d.api.get(`/v1/chats/${chatId}`)).body.assignee.id).toBe(winner.id);
      const history = (await d.api.get(`/v1/chats/${chatId}/assignments`)).body.data;
      expect(history.map((h: { to: { id: number } }) => h.to.id)).toEqual([winner.id]);
    }
  });
});

describe('GET/PUT /v1/organization/settings', () => {
  it('reads false by default, for any role and an API key', async () => {
    const d = await desk('agentChatOnly');
    expectExact(await d.session.api.get('/v1/organization/settings'), 200, { data: { agentsMayReassign: false } });
    expectExact(await d.api.get('/v1/organization/settings'), 200, { data: { agentsMayReassign: false } });
  });

  it('an API key and an admin session change it; unknown keys are ignored; an omitted key keeps its value', async () => {
    const d = await desk('admin');
    expectExact(await d.api.put('/v1/organization/settings', { agentsMayReassign: true, colour: 'red' }), 200, { data: { agentsMayReassign: true } });
    expectExact(await d.session.api.put('/v1/organization/settings', { agentsMayReassign: false }), 200, { data: { agentsMayReassign: false } });
    expectExact(await d.session.api.put('/v1/organization/settings', {}), 200, { data: { agentsMayReassign: false } });
    expectExact(await d.api.get('/v1/organization/settings'), 200, { data: { agentsMayReassign: false } });
  });

  it('other roles get 403 and nothing changes', async () => {
    for (const role of ['superviser', 'agent', 'agentChatOnly'] as const) {
      const d = await desk(role);
      expectError(await d.session.api.put('/v1/organization/settings', { agentsMayReassign: true }), 403, INVALID, {
        code: 'forbidden',
        message: 'Only an admin may change the organization settings.',
      });
      expect((await d.api.get('/v1/organization/settings')).body.data.agentsMayReassign).toBe(false);
    }
  });

  it('a value that is not a boolean is 400 naming the field', async () => {
    const d = await desk('admin');
    for (const value of ['yes', 1, 'true']) {
      expect400(await d.api.put('/v1/organization/settings', { agentsMayReassign: value }), { code: 'agentsMayReassign', message: 'This value should be of type boolean.' });
    }
    expect400(await d.session.api.put('/v1/organization/settings', { agentsMayReassign: null }), { code: 'agentsMayReassign', message: 'This value should not be blank.' });
    expect((await d.api.get('/v1/organization/settings')).body.data.agentsMayReassign).toBe(false);
  });

  it("one organization's setting is not another's", async () => {
    const a = await desk('admin', true);
    const b = await desk('admin');
    expect((await a.api.get('/v1/organization/settings')).body.data.agentsMayReassign).toBe(true);
    expect((await b.api.get('/v1/organization/settings')).body.data.agentsMayReassign).toBe(false);
  });
});

describe('POST /v1/messages from the inbox', () => {
  it("is written by the session's agent, message and private note alike, without naming one", async () => {
    const d = await desk('agent');
    const chatId = await chatOf(d, null);
    for (const type of ['message', 'private'] as const) {
      const res = await d.session.api.post('/v1/messages', { chat: chatId, text: `a ${type}`, type });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ type, from: 'agent', agent: ref(d.me) });
    }
    const named = await d.session.api.post('/v1/messages', { chat: chatId, text: 'named', agent: String(d.me.id) });
    expect(named.status).toBe(200);
    expect(named.body.agent.id).toBe(d.me.id);
  });

  it('naming another agent is 403 and nothing is written', async () => {
    const d = await desk('admin'); // even an admin writes only as themselves
    const chatId = await chatOf(d, null);
    const count = async () => (await d.api.get(`/v1/chats/${chatId}/messages`)).body.total;
    const before = await count();
    for (const type of ['message', 'private'] as const) {
      expectError(await d.session.api.post('/v1/messages', { chat: chatId, text: 'forged', type, agent: d.other.id }), 403, INVALID, {
        code: 'forbidden',
        message: 'A message sent from the inbox is written by the signed-in agent; another agent cannot be named.',
      });
    }
    expect(await count()).toBe(before);
  });

  it('an API key still writes a customer message when no agent is named', async () => {
    const d = await desk('agent');
    const res = await d.api.post('/v1/messages', { chat: await chatOf(d, null), text: 'hello' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ from: 'customer', agent: null });
  });
});

describe('PUT /v1/agents/{id}/status from the inbox', () => {
  it('every role sets their own presence', async () => {
    for (const role of ROLES) {
      const d = await desk(role);
      const res = await d.session.api.put(`/v1/agents/${d.me.id}/status`, { status: 'online' });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('online');
    }
  });

  it("admins and supervisers set another agent's; plain agents are refused (403, unknown ids too) and nothing changes", async () => {
    for (const role of ROLES) {
      const d = await desk(role);
      const res = await d.session.api.put(`/v1/agents/${d.other.id}/status`, { status: 'away' });
      const unknown = await d.session.api.put('/v1/agents/99999999/status', { status: 'away' });
      if (supervising(role)) {
        expect(res.status).toBe(200);
        expect(unknown.status).toBe(404);
      } else {
        expectError(res, 403, INVALID, { code: 'forbidden', message: "Only an admin or a superviser may set another agent's presence." });
        expect(unknown.status).toBe(403);
      }
      const listed = (await d.api.get('/v1/agents')).body.data.find((a: { id: number }) => a.id === d.other.id);
      expect(listed.status).toBe(supervising(role) ? 'away' : 'offline');
    }
  });
});

describe('other session changes: any role', () => {
  it('a plain agent changes status, snooze, department and read flags', async () => {
    const d = await desk('agentChatOnly');
    const chatId = await chatOf(d, d.other.id);
    const dept = await f.department(d.orgId);
    expect((await d.session.api.put('/v1/chats/status', { id: chatId, status: 'pending' })).status).toBe(200);
    expect((await d.session.api.put('/v1/chats/snooze', { id: chatId, snoozedUntil: t.clock.now() + 3600 })).status).toBe(200);
    expect((await d.session.api.put('/v1/chats/department', { id: chatId, department: dept.id })).status).toBe(200);
    expect((await d.session.api.put('/v1/chats/readByAgent', { id: chatId, read: true })).status).toBe(200);
  });
});
