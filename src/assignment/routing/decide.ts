// The routing decision: who of the organization's agents gets a waiting chat, and why.
// Pure on purpose — no database, no clock — so the router service can load the facts inside
// its transaction, call this, and hand the result to assignChat() (DESIGN rule 2), and so the
// rules can be property-tested on their own.
import { agentRefOf } from '../../modules/agents/agents.presenter.ts';
import type { Basis, CandidateFacts, DecisionInput, Exclusion, Judged, RoutingDecision } from './decision.ts';
import { mergePolicy, type RoutingPolicy } from './policy.ts';
import { explain } from './reasons.ts';

export type { CandidateFacts, DecisionInput, Exclusion, RoutingDecision, RoutingTrace, TraceCandidate } from './decision.ts';

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
  for (const [why, applies] of EXCLUSIONS) if (applies(facts, capacity, input)) return { facts, capacity, excluded: why };
  return { facts, capacity, excluded: null };
}

// Never routed (null) counts as least recently routed, so a new agent is served first.
function routedEarlier(a: Judged, b: Judged): number {
  const x = a.facts.lastRoutedSeq;
  const y = b.facts.lastRoutedSeq;
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


function choose(input: DecisionInput, eligible: Judged[]): { basis: Basis; winner: Judged | null } {
  const { strategy, sticky } = input.policy;
  if (strategy === 'manual') return { basis: 'manual', winner: null };
  const stickyAgent = sticky ? eligible.find((j) => j.facts.agent.id === input.stickyAgentId) : undefined;
  if (stickyAgent) return { basis: 'sticky', winner: stickyAgent };
  // The first in the strategy's order: one pass (a decision over 500 agents runs per chat).
  const before = STRATEGY_ORDER[strategy];
  let first: Judged | null = null;
  for (const j of eligible) if (first === null || before(j, first) < 0) first = j;
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
