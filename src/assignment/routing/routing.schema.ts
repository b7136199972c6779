// Bodies of the routing routes (API.md §4.7).
import { body, bool } from '../../input/validate.ts';

/** POST /v1/chats/{id}/route: `{dryRun?}`; no body at all is a real run */
export const routeBody = body({ dryRun: bool({ required: false }) });
