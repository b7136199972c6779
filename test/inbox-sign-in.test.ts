// Signing in to the inbox (docs/inbox.md, "Signing in"): POST /v1/inbox/session needs no key,
// sets an HttpOnly SameSite=Lax cookie and answers who signed in; every refusal is the same
// 401; failed sign-ins are limited per account and per client address; signing out ends the
// session and clears the cookie.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deactivateAgent } from '../src/modules/agents/agents.service.ts';
import { setAgentPassword } from '../src/modules/sessions/sessions.service.ts';
import { SIGN_IN_WINDOW_SECONDS } from '../src/modules/sessions/sign-in-limit.ts';
import { buildTestApp, client, type ApiResponse, type TestApp } from './helpers/app.ts';
import { expect400, expectError, expectExact, INVALID } from './helpers/expect.ts';
import { factories } from './helpers/factories.ts';
import { sleep } from './helpers/sse.ts';

const PASSWORD = 'correct horse battery staple';
const CREDENTIALS = { code: 'credentials', message: 'Email or password is wrong.' };
const TOO_MANY = { code: 'too_many_requests', message: 'Too many requests' };
const UNAUTHORIZED = { code: 'unauthorized', message: 'Unauthorized' };

let t: TestApp;
let f: ReturnType<typeof factories>;
let addresses = 0;
/** every test signs in from addresses of its own, so their failures never add up */
const newAddress = () => `10.0.${Math.floor(++addresses / 250)}.${addresses % 250}`;

beforeAll(async () => {
  t = await buildTestApp();
  f = factories(t.database, t.clock);
});
afterAll(() => t.close());

async function signIn(body: unknown, address = newAddress(), headers: Record<string, string> = {}): Promise<ApiResponse> {
  const res = await t.app.inject({ method: 'POST', url: '/v1/inbox/session', payload: JSON.stringify(body), remoteAddress: address, headers });
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.body);
  } catch {
    parsed = undefined;
  }
  return { status: res.statusCode, headers: res.headers, body: parsed, text: res.body };
}

/** the `name=value` part of the answer's Set-Cookie */
const cookieOf = (res: ApiResponse) => String(res.headers['set-cookie']).split(';')[0];

async function agentWithPassword(role = 'agent', email?: string) {
  const org = await f.org();
  const agent = await f.agent(org.id, { role, email });
  await setAgentPassword(t.database, t.clock, org.id, agent.id, PASSWORD);
  return { org, agent };
}

const sessionCount = async () => Number((await t.database.db.selectFrom('agent_sessions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('POST /v1/inbox/session', () => {
  it('signs in without a key: an HttpOnly SameSite=Lax cookie and who signed in, exactly', async () => {
    const { org, agent } = await agentWithPassword('admin');
    const res = await signIn({ email: agent.email, password: PASSWORD }, '10.9.9.9', { 'user-agent': 'Firefox/128' });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['data']);
    expect(Object.keys(res.body.data)).toEqual(['agent', 'organization', 'csrfToken', 'settings']);
    const [listed] = (await client(t.app, org.apiKey).get('/v1/agents')).body.data;
    expect(res.body.data.agent).toEqual(listed); // the Agent as GET /v1/agents shows it
    expect(Object.keys(res.body.data.agent)).toEqual(Object.keys(listed));
    expect(res.body.data.organization).toEqual({ id: org.id, name: org.name });
    expect(res.body.data.settings).toEqual({ agentsMayReassign: false });
    expect(res.body.data.csrfToken).toMatch(/^[\w-]{43}$/);

    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^handoff_session=[\w-]{43}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax$/); // no Secure over plain HTTP
    const row = await t.database.db.selectFrom('agent_sessions').selectAll().where('agent_id', '=', agent.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ organization_id: org.id, address: '10.9.9.9', user_agent: 'Firefox/128', csrf_token: res.body.data.csrfToken, revoked_at: null });
    expect(row.token_hash).not.toContain(cookieOf(res).split('=')[1]); // only the hash is stored

    const again = await client(t.app, null, { cookie: cookieOf(res) }).get('/v1/inbox/session');
    expectExact(again, 200, res.body);
  });

  it('matches the email ignoring case', async () => {
    const { agent } = await agentWithPassword();
    const res = await signIn({ email: agent.email.toUpperCase(), password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.data.agent.id).toBe(agent.id);
  });

  it('refuses a wrong password, an unknown email, a deactivated agent and one without a password alike, and starts no session', async () => {
    const { org, agent } = await agentWithPassword();
    const leaver = await agentWithPassword();
    await deactivateAgent(t.database, t.clock, leaver.org.id, leaver.agent.id);
    const noPassword = await f.agent(org.id);
    const before = await sessionCount();
    for (const body of [
      { email: agent.email, password: 'wrong' },
      { email: 'nobody@example.test', password: PASSWORD },
      { email: leaver.agent.email, password: PASSWORD },
      { email: noPassword.email, password: PASSWORD },
      { email: noPassword.email, password: '' },
    ]) {
      const res = await signIn(body);
      if (body.password === '') expect400(res, { code: 'password', message: 'This value should not be blank.' });
      else expectError(res, 401, INVALID, CREDENTIALS);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    expect(await sessionCount()).toBe(before);
  });

  it('names every missing or mistyped field in the 400 envelope', async () => {
    expect400(await signIn({}), { code: 'email', message: 'This value should not be blank.' }, { code: 'password', message: 'This value should not be blank.' });
    expect400(await signIn({ email: 5, password: true }), { code: 'email', message: 'This value should be of type string.' }, { code: 'password', message: 'This value should be of type string.' });
    expect400(await signIn([]), { code: 'body', message: 'This value should be of type object.' });
  });

  it('an email of agents in several organizations signs in the first, by id, whose password matches', async () => {
    const email = `shared${Date.now()}@example.test`;
    const first = await agentWithPassword('agent', email);
    const second = await agentWithPassword('admin', email);
    await setAgentPassword(t.database, t.clock, second.org.id, second.agent.id, 'another password');
    expect((await signIn({ email, password: 'another password' })).body.data.organization.id).toBe(second.org.id);
    expect((await signIn({ email, password: PASSWORD })).body.data.organization.id).toBe(first.org.id);
    await setAgentPassword(t.database, t.clock, second.org.id, second.agent.id, PASSWORD);
    expect((await signIn({ email, password: PASSWORD })).body.data.agent.id).toBe(first.agent.id); // both match: the lower id
  });
});

describe('the failed sign-in limit', () => {
  it('an account: the 6th attempt after 5 failures is 429 with Retry-After, the right password too, from any address, until the window ends', async () => {
    const { agent } = await agentWithPassword();
    const start = t.clock.now();
    for (let i = 0; i < 5; i++) expectError(await signIn({ email: agent.email, password: `wrong ${i}` }), 401, INVALID, CREDENTIALS);
    t.clock.advance(60);
    const locked = await signIn({ email: agent.email.toUpperCase(), password: PASSWORD });
    expectError(locked, 429, INVALID, TOO_MANY);
    expect(Number(locked.headers['retry-after'])).toBe(start + SIGN_IN_WINDOW_SECONDS - t.clock.now());
    expect(locked.headers['set-cookie']).toBeUndefined();
    expect((await signIn({ email: agent.email, password: 'wrong again' })).status).toBe(429);

    t.clock.advance(SIGN_IN_WINDOW_SECONDS - 60); // the window ends
    expect((await signIn({ email: agent.email, password: PASSWORD })).status).toBe(200);
  });

  it('a right password clears the account\'s failures', async () => {
    const { agent } = await agentWithPassword();
    for (let i = 0; i < 4; i++) expect((await signIn({ email: agent.email, password: 'wrong' })).status).toBe(401);
    expect((await signIn({ email: agent.email, password: PASSWORD })).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await signIn({ email: agent.email, password: 'wrong' })).status).toBe(401);
    expect((await signIn({ email: agent.email, password: PASSWORD })).status).toBe(200);
  });

  it('an address: 20 failures with different emails lock it, even for a right password; a success does not reset it; other addresses are unaffected', async () => {
    const { agent } = await agentWithPassword();
    const address = newAddress();
    for (let i = 0; i < 19; i++) expect((await signIn({ email: `guess${i}@example.test`, password: 'x' }, address)).status).toBe(401);
    expect((await signIn({ email: agent.email, password: PASSWORD }, address)).status).toBe(200);
    expect((await signIn({ email: 'guess19@example.test', password: 'x' }, address)).status).toBe(401);
    const locked = await signIn({ email: agent.email, password: PASSWORD }, address);
    expectError(locked, 429, INVALID, TOO_MANY);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await signIn({ email: agent.email, password: PASSWORD }, newAddress())).status).toBe(200);
  });
});

describe('GET and DELETE /v1/inbox/session', () => {
  it('without a session: 401 without credentials, 403 with an API key (a key has no session)', async () => {
    const { org } = await agentWithPassword();
    expectError(await client(t.app, null).get('/v1/inbox/session'), 401, INVALID, UNAUTHORIZED);
    const forbidden = { code: 'forbidden', message: 'Only an inbox session has a session to show or end; an API key has none.' };
    expectError(await client(t.app, org.apiKey).get('/v1/inbox/session'), 403, INVALID, forbidden);
    expectError(await client(t.app, org.apiKey).delete('/v1/inbox/session'), 403, INVALID, forbidden);
  });

  it('signing out needs the CSRF token, ends the session and clears the cookie', async () => {
    const { agent } = await agentWithPassword();
    const res = await signIn({ email: agent.email, password: PASSWORD });
    const session = client(t.app, null, { cookie: cookieOf(res) });
    const csrf = { 'x-csrf-token': res.body.data.csrfToken };

    expectError(await session.delete('/v1/inbox/session'), 403, INVALID, { code: 'csrf', message: 'A change made in the inbox must carry its X-CSRF-Token header.' });
    expect((await session.get('/v1/inbox/session')).status).toBe(200);

    const out = await session.delete('/v1/inbox/session', undefined, csrf);
    expectExact(out, 200, 'Ok');
    expect(out.headers['set-cookie']).toBe('handoff_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax');
    const row = await t.database.db.selectFrom('agent_sessions').select('revoked_at').where('agent_id', '=', agent.id).executeTakeFirstOrThrow();
    expect(row.revoked_at).toBe(t.clock.now());
    await sleep(2_100); // the authentication cache's lifetime (docs/inbox.md)
    expectError(await session.get('/v1/inbox/session'), 401, INVALID, UNAUTHORIZED);
    expectError(await session.get('/v1/chats'), 401, INVALID, UNAUTHORIZED);
  });
});
