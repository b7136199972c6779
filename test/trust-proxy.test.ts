// TRUST_PROXY (README: deployment): behind a load balancer the client's address and scheme
// come from X-Forwarded-For / -Proto — the sign-in limit counts each client, not the balancer,
// and the session cookie is Secure when the client used HTTPS. Untrusted, those headers are
// ignored (a client could otherwise pick its own address and escape the limit).
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { setAgentPassword } from '../src/modules/sessions/sessions.service.ts';
import { buildTestApp, type TestApp } from './helpers/app.ts';
import { factories } from './helpers/factories.ts';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function teamBehind(trustProxy: boolean | string[]) {
  t = await buildTestApp({ config: { trustProxy } });
  const f = factories(t.database, t.clock);
  const org = await f.org();
  const agent = await f.agent(org.id);
  await setAgentPassword(t.database, t.clock, org.id, agent.id, 'right password');
  const app = t.app;
  const signIn = (password: string, forwardedFor: string, proto = 'http', email = agent.email) =>
    app.inject({
      method: 'POST',
      url: '/v1/inbox/session',
      remoteAddress: '10.1.1.1', // the balancer
      headers: { 'x-forwarded-for': forwardedFor, 'x-forwarded-proto': proto },
      payload: { email, password },
    });
  /** 21 failed sign-ins, each for another account from another client: the statuses */
  const manyClientsFail = async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await signIn('wrong', `203.0.113.${i}`, 'http', `nobody${i}@example.test`)).statusCode);
    return statuses;
  };
  return { signIn, manyClientsFail };
}

describe('TRUST_PROXY', () => {
  it('parses 0/1 and address lists, and refuses anything else', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY=everyone/);
  });

  it('trusted: each forwarded client has its own failure count, and HTTPS gets a Secure cookie', async () => {
    const { signIn, manyClientsFail } = await teamBehind(['10.1.1.1']);
    expect(await manyClientsFail()).toEqual(Array(21).fill(401)); // 20 per address: nobody reached it
    const ok = await signIn('right password', '203.0.113.99', 'https');
    expect(ok.statusCode).toBe(200);
    expect(String(ok.headers['set-cookie'])).toMatch(/; Secure$/);
  });

  it('untrusted: X-Forwarded-* are ignored — the cookie is not Secure and the address is the connection', async () => {
    const { signIn, manyClientsFail } = await teamBehind(false);
    const ok = await signIn('right password', '203.0.113.5', 'https');
    expect(ok.statusCode).toBe(200);
    expect(String(ok.headers['set-cookie'])).not.toMatch(/Secure/);
    const sessions = await t!.database.db.selectFrom('agent_sessions').select('address').execute();
    expect(sessions.map((s) => s.address)).toEqual(['10.1.1.1']);
    expect(await manyClientsFail()).toEqual([...Array(20).fill(401), 429]); // all one address: the balancer's
  });

  it('trusted: the session records the forwarded client address', async () => {
    const { signIn } = await teamBehind(true);
    expect((await signIn('right password', '198.51.100.7')).statusCode).toBe(200);
    const sessions = await t!.database.db.selectFrom('agent_sessions').select('address').execute();
    expect(sessions.map((s) => s.address)).toEqual(['198.51.100.7']);
  });
});
