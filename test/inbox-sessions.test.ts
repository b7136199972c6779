// An organization's inbox sessions (docs/inbox.md): an admin's session or an API key lists the
// live ones and revokes any of them; a plain agent may not; another organization's sessions are
// never listed nor reachable; a revoked session's live stream ends within 5 s.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deactivateAgent } from '../src/modules/agents/agents.service.ts';
import { buildTestApp, client, type TestApp } from './helpers/app.ts';
import { agentRef, expectError, expectExact, INVALID } from './helpers/expect.ts';
import { factories } from './helpers/factories.ts';
import { sessionFor, type TestSession } from './helpers/session.ts';
import { connectSse, sleep } from './helpers/sse.ts';

const UNAUTHORIZED = { code: 'unauthorized', message: 'Unauthorized' };
const ADMINS_ONLY = { code: 'forbidden', message: 'Only an admin may list or revoke sessions.' };
const NOT_FOUND = { code: 'not_found', message: 'Session not found' };
const SESSION_KEYS = ['id', 'agent', 'createdAt', 'lastSeenAt', 'expiresAt', 'address', 'userAgent'];

let t: TestApp;
let f: ReturnType<typeof factories>;

beforeAll(async () => {
  t = await buildTestApp({ hub: 'in-process' });
  f = factories(t.database, t.clock);
});
afterAll(() => t.close());

async function team() {
  const org = await f.org();
  const admin = await f.agent(org.id, { role: 'admin' });
  const agent = await f.agent(org.id, { role: 'agent' });
  return { org, admin, agent, api: client(t.app, org.apiKey), adminSession: await sessionFor(t, org.id, admin.id), agentSession: await sessionFor(t, org.id, agent.id) };
}

const revokedAt = async (s: TestSession) =>
  (await t.database.db.selectFrom('agent_sessions').select('revoked_at').where('id', '=', s.id).executeTakeFirstOrThrow()).revoked_at;

describe('GET /v1/inbox/sessions', () => {
  it('lists the live sessions, newest first, exactly; revoked, expired and deactivated agents\' are not live', async () => {
    const { org, admin, agent, api, adminSession, agentSession } = await team();
    t.clock.advance(10);
    const later = await sessionFor(t, org.id, agent.id);
    const revoked = await sessionFor(t, org.id, admin.id);
    await api.delete(`/v1/inbox/sessions/${revoked.id}`);
    const expired = await sessionFor(t, org.id, admin.id);
    await t.database.write((trx) => trx.updateTable('agent_sessions').set({ expires_at: t.clock.now() }).where('id', '=', expired.id).execute());
    const leaver = await f.agent(org.id);
    await sessionFor(t, org.id, leaver.id);
    await deactivateAgent(t.database, t.clock, org.id, leaver.id);
    await team(); // another organization's sessions

    const now = t.clock.now();
    const row = (s: TestSession, who: typeof admin, createdAt: number) => ({
      id: s.id,
      agent: agentRef(who),
      createdAt: String(createdAt),
      lastSeenAt: String(createdAt),
      expiresAt: String(createdAt + 14 * 24 * 3600),
      address: '127.0.0.1',
      userAgent: 'vitest',
    });
    const expected = { data: [row(later, agent, now), row(agentSession, agent, now - 10), row(adminSession, admin, now - 10)], meta: { total: 3 } };
    expectExact(await api.get('/v1/inbox/sessions'), 200, expected);
    expectExact(await adminSession.api.get('/v1/inbox/sessions'), 200, expected);
    expect(Object.keys(expected.data[0])).toEqual(SESSION_KEYS);
    expect((await api.get('/v1/inbox/sessions?offset=1&limit=1')).body).toEqual({ data: [expected.data[1]], meta: { total: 3 } });
  });

  it('is refused to a plain agent\'s session', async () => {
    const { agentSession } = await team();
    expectError(await agentSession.api.get('/v1/inbox/sessions'), 403, INVALID, ADMINS_ONLY);
  });
});

describe('DELETE /v1/inbox/sessions/{id}', () => {
  it("an admin's session revokes another session: its requests are refused", async () => {
    const { adminSession, agentSession } = await team();
    expect((await agentSession.api.get('/v1/chats')).status).toBe(200);
    expectExact(await adminSession.api.delete(`/v1/inbox/sessions/${agentSession.id}`), 200, 'Ok');
    expect(await revokedAt(agentSession)).toBe(t.clock.now());
    await sleep(2_100); // the authentication cache's lifetime
    expectError(await agentSession.api.get('/v1/chats'), 401, INVALID, UNAUTHORIZED);
    expect((await adminSession.api.get('/v1/chats')).status).toBe(200);
  });

  it('an API key revokes a session', async () => {
    const { api, adminSession } = await team();
    expectExact(await api.delete(`/v1/inbox/sessions/${adminSession.id}`), 200, 'Ok');
    expectError(await adminSession.api.get('/v1/inbox/session'), 401, INVALID, UNAUTHORIZED);
    expectExact(await api.delete(`/v1/inbox/sessions/${adminSession.id}`), 200, 'Ok'); // again: nothing changes
  });

  it("a plain agent may not; without the CSRF token nobody may; nothing changes", async () => {
    const { adminSession, agentSession } = await team();
    expectError(await agentSession.api.delete(`/v1/inbox/sessions/${adminSession.id}`), 403, INVALID, ADMINS_ONLY);
    expectError(await agentSession.api.delete(`/v1/inbox/sessions/${agentSession.id}`), 403, INVALID, ADMINS_ONLY);
    const csrf = { code: 'csrf', message: 'A change made in the inbox must carry its X-CSRF-Token header.' };
    expectError(await adminSession.withoutCsrf.delete(`/v1/inbox/sessions/${agentSession.id}`), 403, INVALID, csrf);
    expect(await revokedAt(adminSession)).toBeNull();
    expect(await revokedAt(agentSession)).toBeNull();
  });

  it("another organization's session answers as a missing one, and is not revoked", async () => {
    const mine = await team();
    const theirs = await team();
    for (const caller of [mine.api, mine.adminSession.api]) {
      expectError(await caller.delete(`/v1/inbox/sessions/${theirs.agentSession.id}`), 404, INVALID, NOT_FOUND);
      expectError(await caller.delete('/v1/inbox/sessions/99999999'), 404, INVALID, NOT_FOUND);
      expectError(await caller.delete('/v1/inbox/sessions/abc'), 404, INVALID, NOT_FOUND);
    }
    expect(await revokedAt(theirs.agentSession)).toBeNull();
    expect((await theirs.agentSession.api.get('/v1/inbox/session')).status).toBe(200);
    expect((await mine.api.get('/v1/inbox/sessions')).body.data.map((s: { id: number }) => s.id)).toEqual([mine.agentSession.id, mine.adminSession.id]);
  });
});

describe('a revoked session\'s live stream', () => {
  async function listen(app: FastifyInstance): Promise<string> {
    await app.listen({ host: '127.0.0.1', port: 0 });
    return `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  }

  it('ends within 5 s of DELETE /v1/inbox/sessions/{id}', async () => {
    const base = await listen(t.app);
    const { api, agentSession } = await team();
    const stream = await connectSse(`${base}/v1/events/stream`, { cookie: agentSession.cookie });
    expect(stream.status).toBe(200);
    let ended = false;
    void stream.ended.then(() => (ended = true));
    await sleep(2_500); // at least one re-check has run: its answer is cached, the worst case for the revocation
    expect(ended).toBe(false);

    const revoked = Date.now();
    expect((await api.delete(`/v1/inbox/sessions/${agentSession.id}`)).status).toBe(200);
    await Promise.race([stream.ended, sleep(6_000)]);
    const took = Date.now() - revoked;
    stream.close();
    expect(ended).toBe(true);
    expect(took).toBeLessThan(5_000); // docs/inbox.md: the stream ends within 5 s
  }, 15_000);
});
