// PUT /v1/organization/settings body [ext] (docs/inbox.md). Like the routing policy's PUT:
// an omitted key keeps its value, null is blank, unknown keys are ignored (API.md §1).
import { body, bool, omittable } from '../../input/validate.ts';

export const settingsBody = body({ agentsMayReassign: omittable(bool({ required: true })) });

export type SettingsInput = ReturnType<typeof settingsBody.parse>;
