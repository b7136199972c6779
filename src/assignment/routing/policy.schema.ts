// PUT /v1/organization/routing and PUT /v1/departments/{id}/routing (API.md §4.7): every key is
// optional, an omitted one keeps its stored value (policy.ts, mergePolicy). Field shapes only;
// the department is the service's check, after them (API.md §5, order of checks).
import { body, bool, choice, clearable, omittable, wholeNumber } from '../../input/validate.ts';
import { ROUTING_STRATEGIES, type RoutingPolicy } from './policy.ts';

/**
 * `capacity` and `reassignAfterMinutes` take null (unlimited, never); the other keys have no
 * "none", so null there is blank rather than a silent default. Key order is §4.7's, which is
 * also the order failing fields are reported in.
 */
export const policyBody = body({
  strategy: omittable(choice(ROUTING_STRATEGIES, { required: true })),
  capacity: clearable(wholeNumber({ min: 1 })),
  onlineOnly: omittable(bool({ required: true })),
  sticky: omittable(bool({ required: true })),
  reassignAfterMinutes: clearable(wholeNumber({ min: 1 })),
  offlineGraceMinutes: omittable(wholeNumber({ min: 0 })),
});

/** what a PUT says: the keys it sets */
export type PolicyPatch = Partial<RoutingPolicy>;
