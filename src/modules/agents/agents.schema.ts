// Bodies of the [ext] agent routes: presence (API.md §4.6, §4.7) and the agent's own routing
// capacity (docs/compatibility.md). Field shapes only: the agent itself is the service's check,
// after them (API.md §5, order of checks).
import type { Presence } from '../../db/schema.ts';
import { body, choice, clearable, wholeNumber } from '../../input/validate.ts';

export const PRESENCES = ['online', 'away', 'offline'] as const satisfies readonly Presence[];

/** PUT /v1/agents/{id}/status `{status}`: absent, null or "" → blank; anything else unknown → not a valid choice */
export const presenceBody = body({ status: choice(PRESENCES, { required: true }) });

/**
 * PUT /v1/agents/{id} `{capacity}`: an integer ≥ 1, or null for the policy's; an absent key
 * changes nothing. Other keys are ignored (API.md §1): name, email and role are not editable here.
 */
export const agentUpdateBody = body({ capacity: clearable(wholeNumber({ min: 1 })) });

export type AgentUpdate = ReturnType<typeof agentUpdateBody.parse>;
