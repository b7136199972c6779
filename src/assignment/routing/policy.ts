// A routing policy as stored for an organization or a department (API.md §4.7). Pure data:
// reading and writing it is the repository's job; this file only says its shape and defaults.

export const ROUTING_STRATEGIES = ['manual', 'round_robin', 'least_busy'] as const;
export type RoutingStrategy = (typeof ROUTING_STRATEGIES)[number];

/** Key order is API.md §4.7's, because the policy is echoed as public JSON (answers, traces). */
export interface RoutingPolicy {
  strategy: RoutingStrategy;
  /** Max open chats per agent; null = unlimited. */
  capacity: number | null;
  /** When true, offline agents get no chats; when false they are still candidates. */
  onlineOnly: boolean;
  /** Prefer the customer's last agent when that agent can take the chat. */
  sticky: boolean;
  /** Minutes an assigned agent has to reply before the chat is routed again (the no-reply rule); null = never. */
  reassignAfterMinutes: number | null;
  /**
   * Minutes of offline presence routing tolerates before acting on it. API.md §4.7 fixes only
   * the default; the timing is the router service's, the pure decision never reads a clock.
   */
  offlineGraceMinutes: number;
}

/**
 * `manual` so that nothing is routed until a team opts in: turning routing on for an
 * organization that never asked for it would move chats under its agents' feet.
 */
export const DEFAULT_POLICY: Readonly<RoutingPolicy> = Object.freeze({
  strategy: 'manual',
  capacity: null,
  onlineOnly: true,
  sticky: false,
  reassignAfterMinutes: null,
  offlineGraceMinutes: 5,
});

// Taken from DEFAULT_POLICY, which the type forces to name every key, in the public order.
const POLICY_KEYS = Object.keys(DEFAULT_POLICY) as (keyof RoutingPolicy)[];

/**
 * The stored policy with a PUT body's keys laid over it (API.md §4.7: omitted keys keep
 * their value). Only `undefined` means omitted: `capacity: null` is a real value
 * (unlimited). Unknown keys are dropped and the result always has the public key order.
 * Validation of the values is the request schema's job, not this function's.
 */
export function mergePolicy(stored: Readonly<RoutingPolicy>, patch: Readonly<Partial<RoutingPolicy>>): RoutingPolicy {
  const merged: Partial<Record<keyof RoutingPolicy, unknown>> = {};
  for (const key of POLICY_KEYS) merged[key] = patch[key] === undefined ? stored[key] : patch[key];
  return merged as RoutingPolicy;
}
