// The inbox's sign-in and sessions (docs/inbox.md). The sign-in is public: it is registered
// outside the authenticated /v1 scope, and its own limit (failed sign-ins, sign-in-limit.ts)
// replaces the per-organization one, which needs a caller already known.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../app-deps.ts';
import { setCookieHeader } from '../../http/cookies.ts';
import { parsePage } from '../../input/pagination.ts';
import { pathId } from '../../input/params.ts';
import { presentList } from '../../presenters/list.ts';
import { OK_JSON } from '../customers/customers.presenter.ts';
import { COOKIE_MAX_AGE_SECONDS, SESSION_COOKIE } from './session-secrets.ts';
import { signInBody } from './sessions.schema.ts';
import { currentSession, listSessions, mayManageSessions, revokeSession, signIn, signOut } from './sessions.service.ts';

/** POST /v1/inbox/session: no credentials yet, so no auth hook and no per-organization limit */
export function signInRoutes(app: FastifyInstance, { database, clock }: Deps): void {
  app.post('/v1/inbox/session', { config: { rateLimit: false } }, async (req, reply) => {
    const { email, password } = signInBody.parse(req.body);
    const attempt = { email: email!, password: password!, address: req.ip, userAgent: req.headers['user-agent'] ?? '' };
    const { token, answer } = await signIn(database, clock, attempt);
    reply.header('set-cookie', setCookieHeader(SESSION_COOKIE, token, { maxAge: COOKIE_MAX_AGE_SECONDS, secure: req.protocol === 'https' }));
    return answer;
  });
}

/** the session's own routes and the admin's list, inside the authenticated /v1 scope */
export function sessionRoutes(app: FastifyInstance, { database, clock }: Deps): void {
  app.get('/v1/inbox/session', async (req) => currentSession(database.db, req.auth.orgId, req.auth.session));

  app.delete('/v1/inbox/session', async (req, reply) => {
    await signOut(database, clock, req.auth.orgId, req.auth.session);
    reply.header('set-cookie', setCookieHeader(SESSION_COOKIE, '', { maxAge: 0, secure: req.protocol === 'https' }));
    return reply.type('application/json; charset=utf-8').send(OK_JSON);
  });

  app.get<{ Querystring: Record<string, string> }>('/v1/inbox/sessions', async (req) => {
    mayManageSessions(req.auth.session);
    return presentList('list', await listSessions(database.db, clock, req.auth.orgId, parsePage(req.query)));
  });

  app.delete<{ Params: { id: string } }>('/v1/inbox/sessions/:id', async (req, reply) => {
    mayManageSessions(req.auth.session);
    await revokeSession(database, clock, req.auth.orgId, pathId(req.params.id, 'Session'));
    return reply.type('application/json; charset=utf-8').send(OK_JSON);
  });
}
