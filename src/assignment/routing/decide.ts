// The routing decision: who of the organization's agents gets a waiting chat, and why.
// Pure on purpose — no database, no clock — so the router service can load the facts inside
// its transaction, call this, and hand the result to assignChat() (DESIGN rule 2), and so the
// rules can be property-tested on their own.
import type { Presence } from '../../db/schema.ts';
import { agentRefOf, type AgentRef } from '../../modules/agents/agents.presenter.ts';
import { mergePolicy, type RoutingPolicy } from './policy.ts';
import { explain } from './reasons.ts';

/** What the router service knows about one agent when a chat is routed. */
export interface CandidateFacts {
  agent: AgentRef;
  /** false = deactivated. */
  active: boolean;
  presence: Presence;
  /** Member of the chat's department; true for every agent when the chat has none. */
  inDepartment: boolean;
  /** The agent's open chats now (assigned, not closed). */
  load: number;
  /** The agent's own override, or null = the policy's capacity. */
  capacity: number | null;
  /** Grows with every automatic assignment; the agent's last one, or null = never routed to. */
  lastRoutedSeq: number | null;
}

export interface DecisionInput {
  policy: RoutingPolicy;
  /** In any order. */
  candidates: CandidateFacts[];
  /** The customer's last agent, when known. */
  stickyAgentId: number | null;
  /** Agents who already had this chat and did not reply in time (the no-reply rule). */
  triedAgentIds: ReadonlySet<number>;
}

/**
 * Why a candidate cannot take the chat; null = eligible. API.md §4.7's values plus
 * Handoff's `no_reply`: had this chat already and did not answer in time.
 */
export type Exclusion = null | 'deactivated' | 'not_in_department' | 'away' | 'offline' | 'no_reply' | 'at_capacity';

/** Key orders are public: the trace is stored in the assignment history (API.md §4.7). */
export interface TraceCandidate {
  agent: AgentRef;
  load: number;
  /** The effective capacity: the agent's own, else the policy's; null = unlimited. */
  capacity: number | null;
  excluded: Exclusion;
}

export interface RoutingTrace {
  policy: RoutingPolicy;
  candidates: TraceCandidate[];
  winner: AgentRef | null;
}

export interface RoutingDecision {
  winner: AgentRef | null;
  reason: string;
  trace: RoutingTrace;
}

/** A candidate with its verdict, as the strategies and the reason sentences see it. */
export interface Judged {
  facts: CandidateFacts;
  capacity: number | null;
  excluded: Exclusion;
}

type Rule = (c: CandidateFacts, capacity: number | null, input: DecisionInput) => boolean;

// When several apply, the first one is reported: the earlier a rule, the longer-lasting the
// obstacle it names (a deactivated agent stays out whatever the chat; capacity frees up soon).
const EXCLUSIONS: ReadonlyArray<readonly [Exclude<Exclusion, null>, Rule]> = [
  ['deactivated', (c) => !c.active],
  ['not_in_department', (c) => !c.inDepartment],
  ['away', (c) => c.presence === 'away'],
  ['offline', (c, _, input) => c.presence === 'offline' && input.policy.onlineOnly],
  ['no_reply', (c, _, input) => input.triedAgentIds.has(c.agent.id)],
  ['at_capacity', (c, capacity) => capacity !== null && c.load >= capacity],
];

function judge(facts: CandidateFacts, input: DecisionInput): Judged {
  const capacity = facts.capacity ?? input.policy.capacity;
  const hit = EXCLUSIONS.find(([, applies]) => applies(facts, capacity, input));
  return { facts, capacity, excluded: hit ? hit[0] : null };
}

// Never routed (null) counts as least recently routed, so a new agent is served first.
function routedEarlier(a: Judged, b: Judged): number {
  const [x, y] = [a.facts.lastRoutedSeq, b.facts.lastRoutedSeq];
  if (x === y) return 0;
  if (x === null) return -1;
  if (y === null) return 1;
  return x - y;
}

const byId = (a: Judged, b: Judged) => a.facts.agent.id - b.facts.agent.id;

/** Each automatic strategy is an order over the eligible agents; the first one wins. */
const STRATEGY_ORDER: Record<Exclude<RoutingPolicy['strategy'], 'manual'>, (a: Judged, b: Judged) => number> = {
  round_robin: (a, b) => routedEarlier(a, b) || byId(a, b),
  least_busy: (a, b) => a.facts.load - b.facts.load || routedEarlier(a, b) || byId(a, b),
};

export type Basis = 'manual' | 'sticky' | 'round_robin' | 'least_busy' | 'queued';

function choose(input: DecisionInput, eligible: Judged[]): { basis: Basis; winner: Judged | null } {
  const { strategy, sticky } = input.policy;
  if (strategy === 'manual') return { basis: 'manual', winner: null };
  const stickyAgent = sticky ? eligible.find((j) => j.facts.agent.id === input.stickyAgentId) : undefined;
  if (stickyAgent) return { basis: 'sticky', winner: stickyAgent };
  const [first] = [...eligible].sort(STRATEGY_ORDER[strategy]);
  return first ? { basis: strategy, winner: first } : { basis: 'queued', winner: null };
}

/** Decides who gets the chat, with a sentence a team lead understands and the full trace. */
export function decideRouting(input: DecisionInput): RoutingDecision {
  const judged = input.candidates.map((c) => judge(c, input)).sort(byId);
  const eligible = judged.filter((j) => j.excluded === null);
  const { basis, winner } = choose(input, eligible);
  const winnerRef = winner ? agentRefOf(winner.facts.agent) : null;
  const candidates = judged.map((j) => ({
    agent: agentRefOf(j.facts.agent),
    load: j.facts.load,
    capacity: j.capacity,
    excluded: j.excluded,
  }));
  return {
    winner: winnerRef,
    reason: explain(basis, winner, judged),
    trace: { policy: mergePolicy(input.policy, {}), candidates, winner: winnerRef },
  };
}
