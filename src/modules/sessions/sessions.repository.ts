// All SQL about inbox sessions (DESIGN rule 5): every query but the cookie lookup is scoped by
// organization id; the cookie lookup is scoped by the token's hash, which names one session.
import type { Executor } from '../../db/database.ts';
import type { AgentRole } from '../../db/schema.ts';

export interface NewSession {
  orgId: number;
  agentId: number;
  tokenHash: string;
  csrfToken: string;
  address: string;
  userAgent: string;
  now: number;
  expiresAt: number;
}

export async function insertSession(db: Executor, s: NewSession): Promise<number> {
  const row = await db
    .insertInto('agent_sessions')
    .values({
      organization_id: s.orgId,
      agent_id: s.agentId,
      token_hash: s.tokenHash,
      csrf_token: s.csrfToken,
      address: s.address,
      user_agent: s.userAgent,
      created_at: s.now,
      last_seen_at: s.now,
      expires_at: s.expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface LiveSessionRow {
  id: number;
  organization_id: number;
  agent_id: number;
  csrf_token: string;
  last_seen_at: number;
  agent_name: string;
  agent_role: AgentRole;
  rate_limit_per_minute: number | null;
}

/** The session a cookie names, if it is neither revoked nor expired and its agent is active. */
export function findLiveSession(db: Executor, tokenHash: string, now: number): Promise<LiveSessionRow | undefined> {
  return db
    .selectFrom('agent_sessions as s')
    .innerJoin('agents as a', (j) => j.onRef('a.id', '=', 's.agent_id').onRef('a.organization_id', '=', 's.organization_id'))
    .innerJoin('organizations as o', 'o.id', 's.organization_id')
    .select(['s.id', 's.organization_id', 's.agent_id', 's.csrf_token', 's.last_seen_at', 'a.name as agent_name', 'a.role as agent_role', 'o.rate_limit_per_minute'])
    .where('s.token_hash', '=', tokenHash)
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', now)
    .where('a.active', '=', 1)
    .executeTakeFirst();
}

/** Sliding expiry: a session in use moves its end forward. */
export async function touchSession(db: Executor, orgId: number, sessionId: number, now: number, expiresAt: number): Promise<void> {
  await db
    .updateTable('agent_sessions')
    .set({ last_seen_at: now, expires_at: expiresAt })
    .where('organization_id', '=', orgId)
    .where('id', '=', sessionId)
    .execute();
}

/** true when the agent exists in the organization */
export async function writePasswordHash(db: Executor, orgId: number, agentId: number, hash: string): Promise<boolean> {
  const r = await db.updateTable('agents').set({ password_hash: hash }).where('organization_id', '=', orgId).where('id', '=', agentId).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
