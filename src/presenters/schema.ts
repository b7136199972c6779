// Response schemas every feature shares (TypeBox, so the OpenAPI document of src/openapi/ and the
// contract test read the same JSON Schema): timestamps out, the list envelopes of list.ts, the
// "Ok" answer. Schemas only document: Fastify never serialises through them (exact wire bytes
// are the presenters', DESIGN rule 3). A schema with a `$id` becomes a named component.
import { Type, type TSchema } from '@sinclair/typebox';

/** the OpenAPI marker of what HelpCrunch does not have (API.md's [ext]) */
export const EXTENSION = 'x-handoff-extension';

/** `schema` marked as a Handoff extension; object spread keeps TypeBox's symbol keys (Optional) */
export function ext<T extends TSchema>(schema: T, description?: string): T {
  return { ...schema, [EXTENSION]: true, ...(description ? { description } : {}) };
}

/** API.md §1 timestamps out: UNIX seconds as a string of digits */
export const Timestamp = Type.String({ pattern: '^[0-9]+$', description: 'UNIX seconds as a string of digits', examples: ['1603885746'] });
export const TimestampOrNull = Type.Union([Timestamp, Type.Null()]);

const Total = Type.Integer({ minimum: 0 });

/** `{"data":[…],"meta":{"total":N}}` (list.ts `list`) */
export const listOf = (item: TSchema) => Type.Object({ data: Type.Array(item), meta: Type.Object({ total: Total }) });
/** `{"data":[…],"total":N}` (list.ts `bare list`) */
export const bareListOf = (item: TSchema) => Type.Object({ data: Type.Array(item), total: Total });
/** `{"data":[…],"meta":{"total":N},"total":N}` (list.ts `search`) */
export const searchOf = (item: TSchema) => Type.Object({ data: Type.Array(item), meta: Type.Object({ total: Total }), total: Total });
/** `{"data": …}` (list.ts presentData) */
export const dataOf = (data: TSchema) => Type.Object({ data });

/** the JSON string "Ok" of DELETE /v1/customers/{id} and GET /v1/agents/{id}/unsubscribe (API.md §4.4) */
export const OkAnswer = Type.Literal('Ok', { $id: 'Ok', description: 'the JSON string "Ok"' });
