// The shapes of a routing decision: what the router knows of each candidate, and the trace it
// leaves in the history (public JSON, API.md §4.7). Types only, shared by decide.ts and
// reasons.ts so that neither imports the other.
import type { Presence } from '../../db/schema.ts';
import type { AgentRef } from '../../modules/agents/agents.presenter.ts';
import type { RoutingPolicy } from './policy.ts';

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

/** On what grounds a decision was made (or why nobody won): picks the reason's sentence. */
export type Basis = 'manual' | 'sticky' | 'round_robin' | 'least_busy' | 'queued';
