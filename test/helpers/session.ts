// Inbox sessions for tests: a signed-in agent's client, sending the session cookie and (unless
// told not to) the CSRF token, as the inbox page does. Sessions are started through the same
// service the sign-in route uses, without paying for a password hash in every test.
import { startSession } from '../../src/modules/sessions/sessions.service.ts';
import { SESSION_COOKIE } from '../../src/modules/sessions/session-secrets.ts';
import { client, type TestApp } from './app.ts';

export interface TestSession {
  id: number;
  token: string;
  csrfToken: string;
  cookie: string;
  /** calls with the cookie and the CSRF token */
  api: ReturnType<typeof client>;
  /** calls with the cookie only (a forged cross-site request carries no token) */
  withoutCsrf: ReturnType<typeof client>;
}

export async function sessionFor(t: Pick<TestApp, 'app' | 'database' | 'clock'>, orgId: number, agentId: number): Promise<TestSession> {
  const s = await startSession(t.database, t.clock, { orgId, agentId, address: '127.0.0.1', userAgent: 'vitest' });
  const cookie = `${SESSION_COOKIE}=${s.token}`;
  return {
    ...s,
    cookie,
    api: client(t.app, null, { cookie, 'x-csrf-token': s.csrfToken }),
    withoutCsrf: client(t.app, null, { cookie }),
  };
}
