// Inbox sessions (docs/inbox.md): passwords set by an operator, sessions started by a sign-in.
import type { Database } from '../../db/database.ts';
import { NotFound } from '../../errors.ts';
import type { Clock } from '../../lib/clock.ts';
import { hashPassword } from '../../lib/password.ts';
import { SESSION_IDLE_SECONDS, newSessionTokens } from './session-secrets.ts';
import { insertSession, writePasswordHash } from './sessions.repository.ts';

/** `handoff agent password`: scrypt-hashed before it reaches the database. */
export async function setAgentPassword(database: Database, orgId: number, agentId: number, password: string): Promise<void> {
  const hash = await hashPassword(password); // outside the transaction: ~100 ms of CPU
  const changed = await database.write((trx) => writePasswordHash(trx, orgId, agentId, hash));
  if (!changed) throw new NotFound('Agent', agentId);
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
    insertSession(trx, { ...s, tokenHash, csrfToken, now, expiresAt: now + SESSION_IDLE_SECONDS, userAgent: s.userAgent.slice(0, 500) }),
  );
  return { id, token, csrfToken };
}
