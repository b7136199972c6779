// What the OpenAPI document says about one route: written once per route in operations.ts,
// turned into OpenAPI by document.ts. Bodies, queries and answers are the schemas the code
// itself validates with (input/validate.ts `body()` specs) and answers with (*.response.ts).
import type { TSchema } from '@sinclair/typebox';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Error answers beyond those every operation of its kind gets (document.ts `errorsOf`: 401 and
 * 429 with a key, 400 and 413 with a body, 400 with paging, 404 with an id in the path, 403 on a
 * change an inbox session may make):
 * - `400` a refusal of the query or of a referenced entity where the kind does not imply one;
 * - `404 chat in body` the reference's single-item `not_fount` (API.md §2), the chat being changed;
 * - `403` the caller may not (an API key on a session's own route, a role);
 * - `409` [ext] a compare-and-set that no longer holds.
 */
export type ExtraError = '400' | '403' | '404 chat in body' | '409';

export interface QueryParam {
  name: string;
  schema: TSchema;
  description?: string;
}

export interface Operation {
  method: Method;
  /** the route's pattern as Fastify registers it: `/v1/chats/:id` */
  path: string;
  summary: string;
  tag: string;
  description?: string;
  /** [ext]: HelpCrunch has no such endpoint */
  ext?: true;
  /** no credentials (the inbox sign-in) */
  public?: true;
  /** the entity a `:id` in the path names (its unknown id is the general 404) */
  pathEntity?: string;
  /** `offset` and `limit` in the query (API.md §1) */
  paged?: true;
  query?: QueryParam[];
  body?: TSchema;
  /** the success answer: a JSON schema, or the live event stream */
  ok: { status: 200 | 201; schema: TSchema; description: string; contentType?: string } | { status: 200; stream: true; description: string };
  errors?: ExtraError[];
}
