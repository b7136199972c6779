// The routing policy as public JSON (API.md §4.7): the only place its shape is written for
// answers (DESIGN rule 3). Keys in §4.7's order, whatever order the object was built in.
import type { RoutingPolicy } from './policy.ts';

export const presentPolicy = (p: RoutingPolicy) => ({
  strategy: p.strategy,
  capacity: p.capacity,
  onlineOnly: p.onlineOnly,
  sticky: p.sticky,
  reassignAfterMinutes: p.reassignAfterMinutes,
  offlineGraceMinutes: p.offlineGraceMinutes,
});

export type PresentedPolicy = ReturnType<typeof presentPolicy>;
