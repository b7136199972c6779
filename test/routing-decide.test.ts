// The pure routing decision (issue 13, API.md §4.7): properties over arbitrary agents and
// policies, checked against oracles written here independently of the code under test.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideRouting, type CandidateFacts, type DecisionInput, type Exclusion } from '../src/assignment/routing/decide.ts';
import { DEFAULT_POLICY, mergePolicy, ROUTING_STRATEGIES, type RoutingPolicy } from '../src/assignment/routing/policy.ts';

const ROLES = ['admin', 'superviser', 'agent', 'agentChatOnly'] as const;
const POLICY_KEYS = ['strategy', 'capacity', 'onlineOnly', 'sticky', 'reassignAfterMinutes', 'offlineGraceMinutes']; // API.md §4.7

const policyArb: fc.Arbitrary<RoutingPolicy> = fc.record({
  strategy: fc.constantFrom(...ROUTING_STRATEGIES),
  capacity: fc.option(fc.integer({ min: 1, max: 6 })),
  onlineOnly: fc.boolean(),
  sticky: fc.boolean(),
  reassignAfterMinutes: fc.option(fc.integer({ min: 1, max: 120 })),
  offlineGraceMinutes: fc.integer({ min: 0, max: 60 }),
});

// Weighted towards agents who can take the chat: with fair coins only ~7% of inputs had a
// winner and almost none two eligible agents, so the strategy properties rarely bit.
const mostly = <T>(usual: T, ...others: T[]) =>
  fc.oneof({ arbitrary: fc.constant(usual), weight: 3 * others.length }, ...others.map((o) => ({ arbitrary: fc.constant(o), weight: 1 })));

const candidateArb = (id: number): fc.Arbitrary<CandidateFacts> =>
  fc.record({
    agent: fc.record({
      id: fc.constant(id),
      name: fc.constant(`Agent ${id}`),
      email: fc.constant(`a${id}@example.com`),
      role: fc.constantFrom(...ROLES),
    }),
    active: mostly(true, false),
    presence: mostly<CandidateFacts['presence']>('online', 'away', 'offline'),
    inDepartment: mostly(true, false),
    load: fc.integer({ min: 0, max: 6 }),
    capacity: fc.option(fc.integer({ min: 1, max: 6 })),
    // A narrow range on purpose: ties in lastRoutedSeq must happen to exercise the id tie-break.
    lastRoutedSeq: fc.option(fc.integer({ min: 0, max: 5 })),
  });

const candidatesArb = fc
  .uniqueArray(fc.integer({ min: 1, max: 60 }), { maxLength: 8 })
  .chain((ids) => fc.tuple(...ids.map(candidateArb)).map((cs): CandidateFacts[] => cs));

/** Candidates (in arbitrary order), a sticky id (a candidate, a stranger or none) and tried agents. */
const inputArb = (policy: fc.Arbitrary<RoutingPolicy> = policyArb): fc.Arbitrary<DecisionInput> =>
  fc.tuple(policy, candidatesArb).chain(([p, candidates]) => {
    const ids = candidates.map((c) => c.agent.id);
    return fc.record({
      policy: fc.constant(p),
      candidates: fc.shuffledSubarray(candidates, { minLength: candidates.length }),
      stickyAgentId: fc.oneof(fc.constant(null), fc.constant(999), ...ids.map((id) => fc.constant(id))),
      triedAgentIds: fc.subarray(ids, { maxLength: Math.min(2, ids.length) }).map((tried): ReadonlySet<number> => new Set(tried)),
    });
  });

/** The oracle: the first applicable reason, in API.md §4.7's order plus no_reply before capacity. */
function expectedExclusion(c: CandidateFacts, input: DecisionInput): Exclusion {
  const capacity = c.capacity !== null ? c.capacity : input.policy.capacity;
  if (!c.active) return 'deactivated';
  if (!c.inDepartment) return 'not_in_department';
  if (c.presence === 'away') return 'away';
  if (c.presence === 'offline' && input.policy.onlineOnly) return 'offline';
  if (input.triedAgentIds.has(c.agent.id)) return 'no_reply';
  if (capacity !== null && c.load >= capacity) return 'at_capacity';
  return null;
}

/** The same object with its keys in reverse order, so an order out cannot be the order in. */
const reversed = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).reverse()) as T;

const eligibleOf = (input: DecisionInput) => input.candidates.filter((c) => expectedExclusion(c, input) === null);
const factsOf = (input: DecisionInput, id: number) => input.candidates.find((c) => c.agent.id === id)!;
/** Never routed first, then the oldest last routing, then the smallest id (two never-routed
 *  agents give -Infinity - -Infinity = NaN, which `||` passes over to the id). */
const leastRecentlyRouted = (a: CandidateFacts, b: CandidateFacts) =>
  (a.lastRoutedSeq ?? -Infinity) - (b.lastRoutedSeq ?? -Infinity) || a.agent.id - b.agent.id;

describe('routing decision: who may win', () => {
  it('never picks an agent who cannot take the chat, and queues only when nobody can', () => {
    fc.assert(
      fc.property(inputArb(), (input) => {
        const { winner, trace } = decideRouting(input);
        expect(trace.winner).toEqual(winner);
        if (input.policy.strategy === 'manual') { expect(winner).toBeNull(); return; }
        if (winner === null) { expect(eligibleOf(input)).toEqual([]); return; }
        const w = factsOf(input, winner.id);
        const capacity = w.capacity ?? input.policy.capacity;
        expect(w.active).toBe(true);
        expect(w.inDepartment).toBe(true);
        expect(w.presence).not.toBe('away');
        if (input.policy.onlineOnly) expect(w.presence).toBe('online');
        expect(input.triedAgentIds.has(w.agent.id)).toBe(false);
        if (capacity !== null) expect(w.load).toBeLessThan(capacity);
        expect(winner).toEqual(w.agent);
      }),
      { numRuns: 500 },
    );
  });

  it('reports every candidate once, by id, with its effective capacity and the first reason that applies', () => {
    fc.assert(
      fc.property(inputArb(), (input) => {
        const { trace } = decideRouting(input);
        const byId = [...input.candidates].sort((a, b) => a.agent.id - b.agent.id);
        expect(trace.candidates).toEqual(
          byId.map((c) => ({
            agent: c.agent,
            load: c.load,
            capacity: c.capacity !== null ? c.capacity : input.policy.capacity,
            excluded: expectedExclusion(c, input),
          })),
        );
        expect(trace.policy).toEqual(input.policy);
      }),
      { numRuns: 500 },
    );
  });

  it('names the winner in the reason, or says why nothing was routed', () => {
    fc.assert(
      fc.property(inputArb(), (input) => {
        const { winner, reason } = decideRouting(input);
        if (winner) expect(reason).toContain(winner.name);
        else expect(reason).toMatch(input.policy.strategy === 'manual' ? /^Manual: / : /^Queued: /);
        expect(reason).toMatch(/\.$/);
      }),
    );
  });
});

describe('routing decision: strategies', () => {
  it('round robin over equal agents keeps their assignment counts within one of each other', () => {
    const equalAgents = fc.record({
      ids: fc.uniqueArray(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 8 }),
      // Earlier history is older than every step below, and may tie.
      seqs: fc.array(fc.option(fc.integer({ min: -5, max: 0 })), { minLength: 8, maxLength: 8 }),
      steps: fc.integer({ min: 1, max: 60 }),
    });
    fc.assert(
      fc.property(equalAgents, ({ ids, seqs, steps }) => {
        const policy = mergePolicy(DEFAULT_POLICY, { strategy: 'round_robin', onlineOnly: true });
        let candidates: CandidateFacts[] = ids.map((id, i) => ({
          agent: { id, name: `Agent ${id}`, email: `a${id}@example.com`, role: 'agent' },
          active: true, presence: 'online', inDepartment: true, load: 0, capacity: null, lastRoutedSeq: seqs[i],
        }));
        const assigned = new Map(ids.map((id) => [id, 0]));
        for (let step = 1; step <= steps; step++) {
          // The input order must not matter: present the agents rotated differently each time.
          const shown = [...candidates.slice(step % ids.length), ...candidates.slice(0, step % ids.length)];
          const { winner } = decideRouting({ policy, candidates: shown, stickyAgentId: null, triedAgentIds: new Set() });
          expect(winner).not.toBeNull();
          assigned.set(winner!.id, assigned.get(winner!.id)! + 1);
          candidates = candidates.map((c) => (c.agent.id === winner!.id ? { ...c, lastRoutedSeq: step, load: c.load + 1 } : c));
          const counts = [...assigned.values()];
          expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('round robin picks the eligible agent routed least recently (never routed first), ties by id', () => {
    const rr = policyArb.map((p) => ({ ...p, strategy: 'round_robin' as const, sticky: false }));
    fc.assert(
      fc.property(inputArb(rr), (input) => {
        const { winner } = decideRouting(input);
        const [best] = eligibleOf(input).sort(leastRecentlyRouted);
        expect(winner?.id ?? null).toBe(best?.agent.id ?? null);
      }),
      { numRuns: 500 },
    );
  });

  it('least busy picks an agent with the fewest open chats among the eligible; ties go to the least recently routed', () => {
    const lb = policyArb.map((p) => ({ ...p, strategy: 'least_busy' as const, sticky: false }));
    fc.assert(
      fc.property(inputArb(lb), (input) => {
        const { winner } = decideRouting(input);
        const eligible = eligibleOf(input);
        if (eligible.length === 0) { expect(winner).toBeNull(); return; }
        const fewest = Math.min(...eligible.map((c) => c.load));
        expect(factsOf(input, winner!.id).load).toBe(fewest);
        const [first] = eligible.filter((c) => c.load === fewest).sort(leastRecentlyRouted);
        expect(winner!.id).toBe(first.agent.id);
      }),
      { numRuns: 500 },
    );
  });

  it("sticky prefers the customer's last agent when eligible, and otherwise routes as the strategy would", () => {
    const stickyPolicy = policyArb.filter((p) => p.strategy !== 'manual').map((p) => ({ ...p, sticky: true }));
    fc.assert(
      fc.property(inputArb(stickyPolicy), (input) => {
        const { winner, reason } = decideRouting(input);
        const last = input.candidates.find((c) => c.agent.id === input.stickyAgentId);
        if (last && expectedExclusion(last, input) === null) {
          expect(winner?.id).toBe(last.agent.id);
          expect(reason).toMatch(/^Sticky: /);
        } else {
          const plain = decideRouting({ ...input, policy: { ...input.policy, sticky: false } });
          expect(winner).toEqual(plain.winner);
          expect(reason).toBe(plain.reason);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('routing decision: public shape', () => {
  it('keeps the key order of API.md §4.7 whatever order the facts came in', () => {
    fc.assert(
      fc.property(inputArb(), (input) => {
        const scrambled: DecisionInput = {
          ...input,
          policy: reversed(input.policy),
          candidates: input.candidates.map((c) => reversed({ ...c, agent: reversed(c.agent) })),
        };
        const decision = decideRouting(scrambled);
        expect(Object.keys(decision)).toEqual(['winner', 'reason', 'trace']);
        expect(Object.keys(decision.trace)).toEqual(['policy', 'candidates', 'winner']);
        expect(Object.keys(decision.trace.policy)).toEqual(POLICY_KEYS);
        for (const c of decision.trace.candidates) {
          expect(Object.keys(c)).toEqual(['agent', 'load', 'capacity', 'excluded']);
          expect(Object.keys(c.agent)).toEqual(['id', 'name', 'email', 'role']);
        }
        if (decision.winner) expect(Object.keys(decision.winner)).toEqual(['id', 'name', 'email', 'role']);
        expect(JSON.parse(JSON.stringify(decision.trace))).toEqual(decision.trace);
      }),
    );
  });
});

describe('routing policy', () => {
  it('defaults to manual, unlimited, online only, not sticky, never reassigning, 5 minutes of grace', () => {
    expect(DEFAULT_POLICY).toEqual({
      strategy: 'manual', capacity: null, onlineOnly: true, sticky: false, reassignAfterMinutes: null, offlineGraceMinutes: 5,
    });
    expect(Object.keys(DEFAULT_POLICY)).toEqual(POLICY_KEYS);
    expect(ROUTING_STRATEGIES).toEqual(['manual', 'round_robin', 'least_busy']);
  });

  it('merges a patch key by key: omitted keys keep their value, null is a value, unknown keys are dropped', () => {
    const stored = mergePolicy(DEFAULT_POLICY, { strategy: 'least_busy', capacity: 4 });
    expect(mergePolicy(stored, { sticky: true })).toEqual({ ...stored, sticky: true });
    expect(mergePolicy(stored, { capacity: null }).capacity).toBeNull();
    expect(mergePolicy(stored, { capacity: undefined }).capacity).toBe(4);
    const extra = { onlineOnly: false, colour: 'red' } as Partial<RoutingPolicy>;
    const merged = mergePolicy(reversed(stored), extra);
    expect(Object.keys(merged)).toEqual(POLICY_KEYS);
    expect(merged.onlineOnly).toBe(false);
    expect(stored.strategy).toBe('least_busy');
    expect(DEFAULT_POLICY.strategy).toBe('manual');
  });
});

describe('routing decision: reason sentences', () => {
  const agent = (id: number, name: string, facts: Partial<CandidateFacts> = {}): CandidateFacts => ({
    agent: { id, name, email: `${name.split(' ')[0].toLowerCase()}@example.com`, role: 'agent' },
    active: true, presence: 'online', inDepartment: true, load: 0, capacity: null, lastRoutedSeq: null, ...facts,
  });
  const decide = (policy: Partial<RoutingPolicy>, candidates: CandidateFacts[], more: Partial<DecisionInput> = {}) =>
    decideRouting({ policy: mergePolicy(DEFAULT_POLICY, policy), candidates, stickyAgentId: null, triedAgentIds: new Set(), ...more });
  const reasonOf = (...args: Parameters<typeof decide>) => decide(...args).reason;

  it('least busy names the load against the capacity, and the pool it was the fewest of', () => {
    const team = [
      agent(1, 'Anna Lee', { load: 1 }), agent(2, 'Ben Roy', { load: 3 }),
      agent(3, 'Cleo Diaz', { load: 2 }), agent(4, 'Dan Ek', { presence: 'away' }),
    ];
    expect(reasonOf({ strategy: 'least_busy', capacity: 5 }, team))
      .toBe('Least busy: Anna Lee had 1 of 5 open chats, the fewest among 3 available agents.');
    expect(reasonOf({ strategy: 'least_busy' }, [agent(1, 'Anna Lee', { load: 1 })]))
      .toBe('Least busy: Anna Lee had 1 open chat, the fewest among 1 available agent.');
  });

  it('round robin names who was next', () => {
    const seqs = { 'Anna Lee': 7, 'Ben Roy': 3, 'Cleo Diaz': 5, 'Dan Ek': 9 };
    const team = Object.entries(seqs).map(([name, lastRoutedSeq], i) => agent(i + 1, name, { lastRoutedSeq }));
    const decision = decide({ strategy: 'round_robin' }, team);
    expect(decision.winner?.name).toBe('Ben Roy');
    expect(decision.reason).toBe('Round robin: Ben Roy was next among 4 available agents.');
  });

  it("sticky names the customer's last agent", () => {
    const team = [agent(1, 'Anna Lee', { load: 4 }), agent(2, 'Ben Roy')];
    expect(reasonOf({ strategy: 'least_busy', sticky: true }, team, { stickyAgentId: 1 }))
      .toBe("Sticky: Anna Lee, the customer's last agent, is available.");
    expect(decide({ strategy: 'manual', sticky: true }, team, { stickyAgentId: 1 }).winner).toBeNull();
  });

  it('a queued chat says how many agents were out and why, soonest to clear first', () => {
    const offline = { presence: 'offline' } as const;
    const team = [
      agent(1, 'A One', { load: 5 }), agent(2, 'B Two', { load: 9 }),
      agent(3, 'C Three', offline), agent(4, 'D Four', offline), agent(5, 'E Five', offline),
      agent(6, 'F Six', { presence: 'away' }),
    ];
    expect(reasonOf({ strategy: 'least_busy', capacity: 5 }, team))
      .toBe('Queued: none of the 6 agents can take it (2 at capacity, 3 offline, 1 away).');
    const two = [agent(1, 'A One', { active: false }), agent(2, 'B Two', { inDepartment: false })];
    expect(reasonOf({ strategy: 'round_robin' }, two, { triedAgentIds: new Set([1, 2]) }))
      .toBe('Queued: none of the 2 agents can take it (1 not in the department, 1 deactivated).');
    expect(reasonOf({ strategy: 'round_robin' }, [agent(1, 'A One')], { triedAgentIds: new Set([1]) }))
      .toBe('Queued: the one agent cannot take it (did not reply in time).');
    expect(reasonOf({ strategy: 'round_robin' }, [])).toBe('Queued: there are no agents to route to.');
  });

  it('a manual policy says nothing is routed', () => {
    expect(reasonOf({}, [agent(1, 'Anna Lee')])).toBe('Manual: this policy routes no chats; the chat waits for someone to assign it.');
  });
});
