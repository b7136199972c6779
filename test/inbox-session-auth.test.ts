// Inbox sessions as a way to call /v1 (docs/inbox.md): the cookie authenticates only the routes
// the inbox uses, every change needs the session's CSRF token, an Authorization header always
// wins, and a session sees only its own organization.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deactivateAgent } from '../src/modules/agents/agents.service.ts';
import { buildTestApp, client, type TestApp } from './helpers/app.ts';
import { expectError, INVALID } from './helpers/expect.ts';
import { factories } from './helpers/factories.ts';
import { sessionFor } from './helpers/session.ts';
import { connectSse } from './helpers/sse.ts';

const UNAUTHORIZED = { code: 'unauthorized', message: 'Unauthorized' };

let t: TestApp;
let f: ReturnType<typeof factories>;

beforeAll(async () => {
  t = await buildTestApp();
  f = factories(t.database, t.clock);
});
afterAll(() => t.close());

async function signedInOrg() {
  const org = await f.org();
  const admin = await f.agent(org.id, { role: 'admin' });
  const customer = await f.customer(org.id);
  const chat = await f.chat(org.id, { applicationId: org.applicationId, customerId: customer.id });
  return { org, admin, chat, session: await sessionFor(t, org.id, admin.id) };
}

describe('a session cookie', () => {
  it('reads the routes the inbox uses', async () => {
    const { chat, session } = await signedInOrg();
    const res = await session.api.get(`/v1/chats/${chat.id}`);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(chat.id);
    expect((await session.api.get('/v1/agents')).status).toBe(200);
  });

  it('is refused on routes the inbox does not use: they keep asking for an API key', async () => {
    const { session } = await signedInOrg();
    for (const [method, url] of [['GET', '/v1/webhooks'], ['GET', '/v1/customers'], ['PUT', '/v1/organization/routing'], ['POST', '/v1/chats']] as const) {
      const res = method === 'GET' ? await session.api.get(url) : method === 'PUT' ? await session.api.put(url, {}) : await session.api.post(url, {});
      expectError(res, 401, INVALID, UNAUTHORIZED);
    }
  });

  it('needs the CSRF token on every change, and nothing changes without it', async () => {
    const { org, admin, chat, session } = await signedInOrg();
    const forged = await session.withoutCsrf.put('/v1/chats/assignee', { id: chat.id, assignee: admin.id });
    expectError(forged, 403, INVALID, { code: 'csrf', message: 'A change made in the inbox must carry its X-CSRF-Token header.' });
    const wrong = await session.withoutCsrf.put('/v1/chats/assignee', { id: chat.id, assignee: admin.id }, { 'x-csrf-token': `${session.csrfToken}x` });
    expect(wrong.status).toBe(403);
    const api = client(t.app, org.apiKey);
    expect((await api.get(`/v1/chats/${chat.id}`)).body.assignee).toBeNull();
    expect((await session.withoutCsrf.get(`/v1/chats/${chat.id}`)).status).toBe(200); // reads need no token
  });

  it('is ignored when an Authorization header is present: a bad key is a bad key', async () => {
    const { chat, session } = await signedInOrg();
    const res = await session.api.get(`/v1/chats/${chat.id}`, { authorization: 'Bearer hk_nope' });
    expectError(res, 401, INVALID, UNAUTHORIZED);
  });

  it('is refused when unknown, revoked, expired, or its agent deactivated', async () => {
    const { org, admin, chat, session } = await signedInOrg();
    const unknown = client(t.app, null, { cookie: 'handoff_session=nope' });
    expectError(await unknown.get(`/v1/chats/${chat.id}`), 401, INVALID, UNAUTHORIZED);

    const expired = await sessionFor(t, org.id, admin.id);
    await t.database.write((trx) => trx.updateTable('agent_sessions').set({ expires_at: t.clock.now() }).where('id', '=', expired.id).execute());
    expectError(await expired.api.get(`/v1/chats/${chat.id}`), 401, INVALID, UNAUTHORIZED);

    const revoked = await sessionFor(t, org.id, admin.id);
    await t.database.write((trx) => trx.updateTable('agent_sessions').set({ revoked_at: t.clock.now() }).where('id', '=', revoked.id).execute());
    expectError(await revoked.api.get(`/v1/chats/${chat.id}`), 401, INVALID, UNAUTHORIZED);

    const leaver = await f.agent(org.id);
    const leavers = await sessionFor(t, org.id, leaver.id);
    await deactivateAgent(t.database, t.clock, org.id, leaver.id);
    expectError(await leavers.api.get(`/v1/chats/${chat.id}`), 401, INVALID, UNAUTHORIZED);

    expect((await session.api.get(`/v1/chats/${chat.id}`)).status).toBe(200);
  });

  it("never reaches another organization's chats", async () => {
    const mine = await signedInOrg();
    const theirs = await signedInOrg();
    const res = await mine.session.api.get(`/v1/chats/${theirs.chat.id}`);
    expectError(res, 404, INVALID, { code: 'not_found', message: 'Chat not found' });
    const list = await mine.session.api.get('/v1/chats');
    expect(list.body.data.map((c: { id: number }) => c.id)).toEqual([mine.chat.id]);
  });
});

describe("a session's live stream", () => {
  it("carries its own organization's events and never another's", async () => {
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const mine = await signedInOrg();
    const theirs = await signedInOrg();
    const stream = await connectSse(`${base}/v1/events/stream`, { cookie: mine.session.cookie });
    try {
      expect(stream.status).toBe(200);
      // Theirs commits first: the stream delivers in commit order, so had it leaked, it would
      // arrive before ours.
      expect((await client(t.app, theirs.org.apiKey).put('/v1/chats/assignee', { id: theirs.chat.id, assignee: theirs.admin.id })).status).toBe(200);
      expect((await client(t.app, mine.org.apiKey).put('/v1/chats/assignee', { id: mine.chat.id, assignee: mine.admin.id })).status).toBe(200);
      const [event] = await stream.waitForEvents(1);
      expect(event.event).toBe('chat.assigned');
      expect(JSON.parse(event.data).eventData.chat.id).toBe(mine.chat.id);
      expect(stream.events).toHaveLength(1);
    } finally {
      stream.close();
    }
  });
});
