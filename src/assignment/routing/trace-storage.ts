// The trace as the assignment history stores it. A team of 500 agents makes a trace of 500
// candidates: ~60 KB as public JSON (each AgentRef spelled out), written with every automatic
// assignment. Stored, a candidate is its agent's id and three values (~15 bytes); the history
// spells the agents out again when it is read (unpackTrace), as it does for `from` and `to`.
import type { AgentRef } from '../../modules/agents/agents.presenter.ts';
import type { Exclusion, RoutingTrace } from './decision.ts';
import type { RoutingPolicy } from './policy.ts';

/** `[agent id, load, capacity, excluded]` */
type PackedCandidate = [number, number, number | null, Exclusion];

export interface PackedTrace {
  packed: 1;
  policy: RoutingPolicy;
  candidates: PackedCandidate[];
  winner: number | null;
}

export const packTrace = (t: RoutingTrace): PackedTrace => ({
  packed: 1,
  policy: t.policy,
  candidates: t.candidates.map((c) => [c.agent.id, c.load, c.capacity, c.excluded]),
  winner: t.winner?.id ?? null,
});

export const isPackedTrace = (stored: unknown): stored is PackedTrace => (stored as PackedTrace | null)?.packed === 1;

/** every agent a stored trace names, to read their AgentRefs at once */
export const agentIdsOf = (p: PackedTrace): number[] => p.candidates.map(([id]) => id);

/** the public trace (API.md §4.7 key order) with each agent as `refs` has it now */
export function unpackTrace(p: PackedTrace, refs: ReadonlyMap<number, AgentRef>): RoutingTrace {
  const ref = (id: number) => refs.get(id)!; // agents are never deleted; the ids come from this organization
  return {
    policy: p.policy,
    candidates: p.candidates.map(([id, load, capacity, excluded]) => ({ agent: ref(id), load, capacity, excluded })),
    winner: p.winner === null ? null : ref(p.winner),
  };
}
