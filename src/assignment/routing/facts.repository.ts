// What the router reads before it decides (all inside its transaction, after the routing lock):
// the chat, its candidates with their load, the customer's last agent, who had the chat already.
import { sql, type Selectable } from 'kysely';
import type { Executor, Trx } from '../../db/database.ts';
import { isPostgres } from '../../db/dialect.ts';
import type { AgentTable, ChatStatus } from '../../db/schema.ts';
import type { CandidateFacts } from './decide.ts';

// An arbitrary constant naming routing's advisory locks among the database's (the two-key form
// does not overlap the one-key locks of migrations and the webhook queue).
const ROUTING_LOCK = 0x526f75; // "Rou"

/**
 * Routing decisions of one organization are serialised: two instances deciding at once could
 * both see an agent one below capacity and both give them a chat. On SQLite every write
 * transaction is already exclusive.
 */
export async function lockRouting(trx: Trx, orgId: number): Promise<void> {
  if (isPostgres(trx)) await sql`select pg_advisory_xact_lock(${ROUTING_LOCK}, ${orgId})`.execute(trx);
}

export interface RoutedChat {
  id: number;
  customer_id: number;
  department_id: number | null;
  assignee_id: number | null;
  status: ChatStatus;
  queued_at: number | null;
}

export function findRoutedChat(db: Executor, orgId: number, chatId: number): Promise<RoutedChat | undefined> {
  return db
    .selectFrom('chats')
    .select(['id', 'customer_id', 'department_id', 'assignee_id', 'status', 'queued_at'])
    .where('organization_id', '=', orgId)
    .where('id', '=', chatId)
    .executeTakeFirst();
}

/**
 * The agents who may take a chat of `departmentId`: its members, or every agent of the
 * organization when the chat has no department, each with their open chats (`openChats`, kept on
 * the agent's row by migration 0012's triggers).
 */
export async function departmentAgents(db: Executor, orgId: number, departmentId: number | null): Promise<AgentCandidate[]> {
  let query = db
    .selectFrom('agents as a')
    .select(['a.id', 'a.name', 'a.email', 'a.role', 'a.active', 'a.status', 'a.capacity', 'a.last_routed_seq', 'a.open_chats'])
    .where('a.organization_id', '=', orgId);
  if (departmentId !== null) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('department_agents as da')
          .select('da.agent_id')
          .where('da.organization_id', '=', orgId)
          .where('da.department_id', '=', departmentId)
          .whereRef('da.agent_id', '=', 'a.id'),
      ),
    );
  }
  return (await query.execute()).map((r) => candidateOf(r, true));
}

type AgentFacts = Pick<Selectable<AgentTable>, 'id' | 'name' | 'email' | 'role' | 'active' | 'status' | 'capacity' | 'last_routed_seq' | 'open_chats'>;

/** a candidate as read: its load is the agent's open chats when the row was read */
export type AgentCandidate = Omit<CandidateFacts, 'load'> & { openChats: number };

const candidateOf = (r: AgentFacts, inDepartment: boolean): AgentCandidate => ({
  agent: { id: r.id, name: r.name, email: r.email, role: r.role },
  active: r.active === 1,
  presence: r.status,
  inDepartment,
  capacity: r.capacity,
  lastRoutedSeq: r.last_routed_seq,
  openChats: r.open_chats,
});

/** one agent as a candidate from outside the chat's department (the sticky agent) */
export async function outsideAgent(db: Executor, orgId: number, agentId: number): Promise<AgentCandidate | undefined> {
  const r = await db
    .selectFrom('agents')
    .select(['id', 'name', 'email', 'role', 'active', 'status', 'capacity', 'last_routed_seq', 'open_chats'])
    .where('organization_id', '=', orgId)
    .where('id', '=', agentId)
    .executeTakeFirst();
  return r && candidateOf(r, false);
}

/** the customer's last agent: the assignee of their latest other chat that had one */
export async function lastAgentOfCustomer(db: Executor, orgId: number, customerId: number, chatId: number): Promise<number | null> {
  const row = await db
    .selectFrom('chats')
    .select('assignee_id')
    .where('organization_id', '=', orgId)
    .where('customer_id', '=', customerId)
    .where('id', '<>', chatId)
    .where('assignee_id', 'is not', null)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.assignee_id ?? null;
}

/** agents who let this chat's no-reply time pass */
export async function triedAgents(db: Executor, orgId: number, chatId: number): Promise<Set<number>> {
  const rows = await db.selectFrom('chat_routing_tries').select('agent_id').where('organization_id', '=', orgId).where('chat_id', '=', chatId).execute();
  return new Set(rows.map((r) => r.agent_id));
}

export async function forgetTries(trx: Trx, orgId: number, chatId: number): Promise<void> {
  await trx.deleteFrom('chat_routing_tries').where('organization_id', '=', orgId).where('chat_id', '=', chatId).execute();
}

export async function addTriedAgent(trx: Trx, orgId: number, chatId: number, agentId: number, now: number): Promise<void> {
  await trx
    .insertInto('chat_routing_tries')
    .values({ organization_id: orgId, chat_id: chatId, agent_id: agentId, created_at: now })
    .onConflict((oc) => oc.columns(['chat_id', 'agent_id']).doNothing())
    .execute();
}

/** the organization's latest number in the round-robin order (read under the routing lock) */
export async function lastRoutedSeq(db: Executor, orgId: number): Promise<number> {
  const top = await db.selectFrom('agents').select(sql<number | null>`max(last_routed_seq)`.as('seq')).where('organization_id', '=', orgId).executeTakeFirst();
  return Number(top?.seq ?? 0);
}

export async function markRouted(trx: Trx, orgId: number, agentId: number, seq: number): Promise<void> {
  await trx.updateTable('agents').set({ last_routed_seq: seq }).where('organization_id', '=', orgId).where('id', '=', agentId).execute();
}

/** Enters the queue (keeping the time it first began to wait) or leaves it (null). */
export async function setQueued(trx: Trx, orgId: number, chatId: number, since: number | null): Promise<void> {
  const set = since === null ? { queued_at: null } : { queued_at: sql<number>`coalesce(queued_at, ${since})` };
  await trx.updateTable('chats').set(set).where('organization_id', '=', orgId).where('id', '=', chatId).execute();
}
