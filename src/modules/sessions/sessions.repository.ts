// All SQL about inbox sessions (DESIGN rule 5): every query but two is scoped by organization
// id. The cookie lookup is scoped by the token's hash, which names one session; the sign-in's
// lookup by email comes before anyone knows the organization, and answers only what verifying
// a password needs.
import { sql } from 'kysely';
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

export interface SignInCandidate {
  id: number;
  organization_id: number;
  password_hash: string;
}

/**
 * The active agents with a password whose email is `email` ignoring case, in id order: an email
 * may belong to agents of several organizations (docs/inbox.md says which one signs in). Case is
 * folded by lower() on both sides, the same function on both databases.
 */
export async function findSignInCandidates(db: Executor, email: string): Promise<SignInCandidate[]> {
  const rows = await db
    .selectFrom('agents')
    .select(['id', 'organization_id', 'password_hash'])
    .where(sql`lower(email)`, '=', sql`lower(${email})`)
    .where('active', '=', 1)
    .where('password_hash', 'is not', null)
    .orderBy('id')
    .execute();
  return rows as SignInCandidate[];
}

/** what a session's answer says of its organization */
export function findSessionOrganization(db: Executor, orgId: number) {
  return db.selectFrom('organizations').select(['id', 'name', 'agents_may_reassign']).where('id', '=', orgId).executeTakeFirstOrThrow();
}

export interface SessionListRow {
  id: number;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  address: string;
  user_agent: string;
  agent_id: number;
  agent_name: string;
  agent_email: string;
  agent_role: AgentRole;
}

/** live = accepted by authentication: not revoked, not expired, its agent active */
function liveSessions(db: Executor, orgId: number, now: number) {
  return db
    .selectFrom('agent_sessions as s')
    .innerJoin('agents as a', (j) => j.onRef('a.id', '=', 's.agent_id').onRef('a.organization_id', '=', 's.organization_id'))
    .where('s.organization_id', '=', orgId)
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', now)
    .where('a.active', '=', 1);
}

export function listLiveSessions(db: Executor, orgId: number, now: number, page: { offset: number; limit: number }): Promise<SessionListRow[]> {
  return liveSessions(db, orgId, now)
    .select(['s.id', 's.created_at', 's.last_seen_at', 's.expires_at', 's.address', 's.user_agent'])
    .select(['a.id as agent_id', 'a.name as agent_name', 'a.email as agent_email', 'a.role as agent_role'])
    .orderBy('s.id', 'desc') // newest first: ids grow with creation
    .offset(page.offset)
    .limit(page.limit)
    .execute();
}

export async function countLiveSessions(db: Executor, orgId: number, now: number): Promise<number> {
  const row = await liveSessions(db, orgId, now).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Ends a session; one already ended keeps its first revoked_at. false when the organization has
 * no session with that id.
 */
export async function revokeSession(db: Executor, orgId: number, sessionId: number, now: number): Promise<boolean> {
  const r = await db
    .updateTable('agent_sessions')
    .set({ revoked_at: sql<number>`coalesce(revoked_at, ${now})` })
    .where('organization_id', '=', orgId)
    .where('id', '=', sessionId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** ends an agent's sessions that are still open (a new password); how many it ended */
export async function revokeAgentSessions(db: Executor, orgId: number, agentId: number, now: number): Promise<number> {
  const r = await db
    .updateTable('agent_sessions')
    .set({ revoked_at: now })
    .where('organization_id', '=', orgId)
    .where('agent_id', '=', agentId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
