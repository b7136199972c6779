// Inbox sessions (docs/inbox.md): passwords set by an operator, sessions started by a sign-in,
// ended by their agent or an admin.
import type { Database, Executor } from '../../db/database.ts';
import type { AgentRole } from '../../db/schema.ts';
import { BadCredentials, Forbidden, Invalid, NotFound } from '../../errors.ts';
import type { Page } from '../../input/pagination.ts';
import type { Clock } from '../../lib/clock.ts';
import { decoyHash, hashPassword, verifyPassword } from '../../lib/password.ts';
import { getAgent } from '../agents/agents.service.ts';
import { requireOrganization } from '../organizations/require-organization.ts';
import { SESSION_IDLE_SECONDS, newSessionTokens } from './session-secrets.ts';
import { presentSession, presentSignedIn } from './sessions.presenter.ts';
import * as repo from './sessions.repository.ts';
import { accountKey, addressKey, clearAccountFailures, countFailedSignIn, refuseWhileLocked } from './sign-in-limit.ts';

/** the bounds of a password an operator sets: long enough to resist guessing, short enough to sign in with */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 1024; // the sign-in body's limit (sessions.schema.ts)

/**
 * `handoff agent password`: scrypt-hashed before it reaches the database. A new password ends
 * the agent's sessions (a reset after a leak must lock the holder of the old one out); answers
 * the Agent and how many sessions ended.
 */
export async function setAgentPassword(database: Database, clock: Clock, orgId: number, agentId: number, password: string) {
  if (password.length < PASSWORD_MIN_LENGTH) {
    throw Invalid.field('password', `This value is too short. It should have ${PASSWORD_MIN_LENGTH} characters or more.`);
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    throw Invalid.field('password', `This value is too long. It should have ${PASSWORD_MAX_LENGTH} characters or less.`);
  }
  const hash = await hashPassword(password); // outside the transaction: ~100 ms of CPU
  return database.write(async (trx) => {
    await requireOrganization(trx, orgId);
    if (!(await repo.writePasswordHash(trx, orgId, agentId, hash))) throw new NotFound('Agent', agentId);
    const sessionsEnded = await repo.revokeAgentSessions(trx, orgId, agentId, clock.now());
    return { agent: await getAgent(trx, orgId, agentId), sessionsEnded };
  });
}

export interface StartSession {
  orgId: number;
  agentId: number;
  address: string;
  userAgent: string;
}

/** A new session for an agent whose password was checked; the token is shown only now. */
export async function startSession(database: Database, clock: Clock, s: StartSession) {
  const { token, tokenHash, csrfToken } = newSessionTokens();
  const now = clock.now();
  const id = await database.write((trx) =>
    repo.insertSession(trx, { ...s, tokenHash, csrfToken, now, expiresAt: now + SESSION_IDLE_SECONDS, userAgent: s.userAgent.slice(0, 500) }),
  );
  return { id, token, csrfToken };
}

/** The signed-in agent of a request, as much of it as the rules below need. */
export interface SessionActor {
  id: number;
  agentId: number;
  role: AgentRole;
  csrfToken: string;
}

export interface SignInAttempt {
  email: string;
  password: string;
  address: string;
  userAgent: string;
}

const DECOY_HASH = decoyHash();

/**
 * POST /v1/inbox/session. The limit is checked first (a locked caller costs no hash). The
 * email's active agents with a password are tried in id order and the first whose password
 * matches signs in; with none to try, a decoy hash is verified, so every refusal costs the
 * same and tells nothing about which accounts exist.
 */
export async function signIn(database: Database, clock: Clock, a: SignInAttempt) {
  const keys = [accountKey(a.email), addressKey(a.address)];
  await refuseWhileLocked(database.db, keys, clock.now());
  const candidates = await repo.findSignInCandidates(database.db, a.email);
  let agent: repo.SignInCandidate | undefined;
  for (const c of candidates) {
    if (await verifyPassword(a.password, c.password_hash)) {
      agent = c;
      break;
    }
  }
  if (candidates.length === 0) await verifyPassword(a.password, DECOY_HASH);
  if (!agent) {
    await countFailedSignIn(database, keys, clock.now());
    throw new BadCredentials();
  }
  await clearAccountFailures(database, a.email);
  const session = await startSession(database, clock, { orgId: agent.organization_id, agentId: agent.id, address: a.address, userAgent: a.userAgent });
  return { token: session.token, answer: await signedIn(database.db, agent.organization_id, agent.id, session.csrfToken) };
}

async function signedIn(db: Executor, orgId: number, agentId: number, csrfToken: string) {
  const [agent, org] = await Promise.all([getAgent(db, orgId, agentId), repo.findSessionOrganization(db, orgId)]);
  return presentSignedIn(agent, org, csrfToken);
}

/** the session routes answer for a session; an API key has none to show or end */
function requireSession(session: SessionActor | null): SessionActor {
  if (!session) throw new Forbidden('forbidden', 'Only an inbox session has a session to show or end; an API key has none.');
  return session;
}

/** GET /v1/inbox/session: the sign-in's answer again, for the page that reloads */
export function currentSession(db: Executor, orgId: number, session: SessionActor | null) {
  const s = requireSession(session);
  return signedIn(db, orgId, s.agentId, s.csrfToken);
}

/** DELETE /v1/inbox/session: the agent signs out */
export async function signOut(database: Database, clock: Clock, orgId: number, session: SessionActor | null): Promise<void> {
  const s = requireSession(session);
  await database.write((trx) => repo.revokeSession(trx, orgId, s.id, clock.now()));
}

/** Listing and revoking sessions: an API key, or an admin's session (docs/inbox.md). */
export function mayManageSessions(session: SessionActor | null): void {
  if (session && session.role !== 'admin') throw new Forbidden('forbidden', 'Only an admin may list or revoke sessions.');
}

/** GET /v1/inbox/sessions: the live sessions, newest first */
export async function listSessions(db: Executor, clock: Clock, orgId: number, page: Page) {
  const now = clock.now();
  const [rows, total] = await Promise.all([repo.listLiveSessions(db, orgId, now, page), repo.countLiveSessions(db, orgId, now)]);
  return { data: rows.map(presentSession), total };
}

/**
 * DELETE /v1/inbox/sessions/{id}: its requests are refused once the authentication caches
 * (2 s) forget it, and its live stream ends at its next check (docs/inbox.md: within 5 s).
 */
export async function revokeSession(database: Database, clock: Clock, orgId: number, sessionId: number): Promise<void> {
  const revoked = await database.write((trx) => repo.revokeSession(trx, orgId, sessionId, clock.now()));
  if (!revoked) throw new NotFound('Session', sessionId);
}
