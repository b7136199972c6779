// The router: loads what a decision needs inside the caller's transaction, decides (decide.ts,
// pure) and carries the decision out through assignChat() with `source: "auto"` (DESIGN rule 2),
// or leaves the chat waiting in the queue. Routing of one organization is serialised
// (lockRouting), so no two decisions ever see the same free seat.
import type { Executor, Trx } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import { ROUTING_ACTOR } from '../actor.ts';
import { assignChat } from '../assign-chat.ts';
import { decideRouting, type CandidateFacts, type RoutingDecision } from './decide.ts';
import {
  departmentAgents,
  findRoutedChat,
  lastAgentOfCustomer,
  lastRoutedSeq,
  lockRouting,
  markRouted,
  outsideAgent,
  setQueued,
  triedAgents,
  type AgentCandidate,
  type RoutedChat,
} from './facts.repository.ts';
import type { RoutingPolicy } from './policy.ts';
import { effectivePolicy } from './policy.repository.ts';
import { packTrace } from './trace-storage.ts';

/** What a run of decisions in one transaction may keep between them (a queue drain). */
export interface RoutingSession {
  orgId: number;
  /**
   * open chats per agent as this session knows them: taken from an agent's row when the session
   * first reads it, then kept up to date with the session's own assignments (a row read later
   * already counts them: the triggers of migration 0012 run inside this transaction)
   */
  loads: Map<number, number>;
  /** candidates per department (0 = none), read once per session, kept up to date with its assignments */
  agents: Map<number, AgentCandidate[]>;
  /** the organization's latest round-robin number, read at the session's first assignment */
  seq?: number;
}

export function newSession(orgId: number): RoutingSession {
  return { orgId, agents: new Map(), loads: new Map() };
}

export interface Routed {
  chat: RoutedChat;
  policy: RoutingPolicy;
  decision: RoutingDecision;
}

/** Decides for one chat without changing anything (POST /route with dryRun, and every route). */
export async function decideFor(db: Executor, session: RoutingSession, chat: RoutedChat): Promise<Routed> {
  const { orgId } = session;
  const policy = await effectivePolicy(db, orgId, chat.department_id);
  const department = chat.department_id ?? 0;
  let agents = session.agents.get(department);
  if (!agents) {
    session.agents.set(department, (agents = await departmentAgents(db, orgId, chat.department_id)));
    // counted from now on by the session: a row cached here does not see the session's later moves
    for (const a of agents) if (!session.loads.has(a.agent.id)) session.loads.set(a.agent.id, a.openChats);
  }
  const candidates: CandidateFacts[] = agents.map((a) => withLoad(a, loadWithout(session, a, chat)));
  let stickyAgentId: number | null = null;
  if (policy.sticky && policy.strategy !== 'manual') {
    stickyAgentId = await lastAgentOfCustomer(db, orgId, chat.customer_id, chat.id);
    if (stickyAgentId !== null && !candidates.some((c) => c.agent.id === stickyAgentId)) {
      const outside = await outsideAgent(db, orgId, stickyAgentId);
      if (outside) candidates.push(withLoad(outside, loadWithout(session, outside, chat)));
    }
  }
  const triedAgentIds = await triedAgents(db, orgId, chat.id);
  return { chat, policy, decision: decideRouting({ policy, candidates, stickyAgentId, triedAgentIds }) };
}

// Spelled out rather than spread: it runs for every agent of the pool at every decision.
const withLoad = (a: AgentCandidate, load: number): CandidateFacts => ({
  agent: a.agent, active: a.active, presence: a.presence, inDepartment: a.inDepartment, load, capacity: a.capacity, lastRoutedSeq: a.lastRoutedSeq,
});

// A chat being routed again (no-reply, grace, POST /route) is judged as if it were unassigned:
// its own seat is not held against its current assignee.
function loadWithout(session: RoutingSession, a: AgentCandidate, chat: RoutedChat): number {
  const id = a.agent.id;
  if (!session.loads.has(id)) session.loads.set(id, a.openChats);
  const load = session.loads.get(id)!;
  return chat.assignee_id === id && chat.status !== 'closed' ? load - 1 : load;
}

export interface CarryOut {
  /** a sentence put before the decision's reason (why the chat is routed again) */
  because?: string;
  /** with nobody to take it, unassign the chat instead of leaving it where it is */
  releaseIfNobody?: boolean;
}

/**
 * Carries a decision out: the winner gets the chat through assignChat (history row with the
 * reason and trace, `chat.assigned` event); with no winner the chat waits in the queue (and is
 * released from its assignee when asked). Returns whether the chat got a new assignee.
 */
export async function carryOut(trx: Trx, clock: Clock, session: RoutingSession, routed: Routed, opts: CarryOut = {}): Promise<boolean> {
  const { chat, policy, decision } = routed;
  const reason = opts.because ? `${opts.because} ${decision.reason}` : decision.reason;
  const now = clock.now();
  if (decision.winner && decision.winner.id !== chat.assignee_id) {
    await assignChat(trx, clock, {
      orgId: session.orgId,
      chatId: chat.id,
      assigneeId: decision.winner.id,
      expectedAssignee: chat.assignee_id, // a person's write that committed first wins (API.md §4.3 409)
      by: ROUTING_ACTOR,
      source: 'auto',
      reason,
      trace: packTrace(decision.trace),
    });
    session.seq = (session.seq ?? (await lastRoutedSeq(trx, session.orgId))) + 1;
    await markRouted(trx, session.orgId, decision.winner.id, session.seq);
    moveSeat(session, chat.assignee_id, decision.winner.id);
    // the next decision of this session sees the winner as the most recently routed (round robin)
    for (const agents of session.agents.values()) for (const a of agents) if (a.agent.id === decision.winner.id) a.lastRoutedSeq = session.seq;
    return true;
  }
  if (decision.winner) return false; // already theirs
  if (opts.releaseIfNobody && chat.assignee_id !== null) {
    await assignChat(trx, clock, {
      orgId: session.orgId,
      chatId: chat.id,
      assigneeId: null,
      expectedAssignee: chat.assignee_id,
      by: ROUTING_ACTOR,
      source: 'auto',
      reason,
      trace: packTrace(decision.trace),
    });
    moveSeat(session, chat.assignee_id, null);
  }
  // A manual policy keeps no queue: the chat waits for a person, not for routing.
  const waiting = policy.strategy !== 'manual' && chat.status !== 'closed' && (chat.assignee_id === null || opts.releaseIfNobody);
  await setQueued(trx, session.orgId, chat.id, waiting ? now : null);
  return false;
}

// An agent the session has not counted yet needs nothing: their row, when read, counts the move.
function moveSeat(session: RoutingSession, from: number | null, to: number | null) {
  if (from !== null && session.loads.has(from)) session.loads.set(from, session.loads.get(from)! - 1);
  if (to !== null && session.loads.has(to)) session.loads.set(to, session.loads.get(to)! + 1);
}

/**
 * POST /v1/chats/{id}/route: one chat now, or only the decision with `dryRun`. Null when the chat
 * is gone or closed (read under the lock: closed in between, it is not assigned).
 */
export async function routeOneChat(trx: Trx, clock: Clock, orgId: number, chatId: number, dryRun: boolean): Promise<Routed | null> {
  await lockRouting(trx, orgId);
  const chat = await findRoutedChat(trx, orgId, chatId);
  if (!chat || chat.status === 'closed') return null;
  const session = newSession(orgId);
  const routed = await decideFor(trx, session, chat);
  if (!dryRun) await carryOut(trx, clock, session, routed);
  return routed;
}
