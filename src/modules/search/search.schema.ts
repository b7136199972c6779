// The JSON Schema of a search body and of a list's sort (API.md §1, §4.1), for the OpenAPI
// document (src/openapi/). Built from the same catalogues filter.ts and sort.ts parse against,
// so a field or sort added there is documented at once. Parsing stays request.ts's: these
// schemas never validate.
import { Type, type TSchema } from '@sinclair/typebox';
import { OPERATORS, SEARCH_LIMITS } from './filter.ts';
import type { Searchable } from './request.ts';

/** each name with and without the entity's prefix (`chats.status` or `status`), as parsing takes them */
const prefixed = (prefix: string, names: string[]) => names.flatMap((n) => [`${prefix}.${n}`, n]);
const literals = (values: readonly string[]) => Type.Union([...new Set(values)].map((v) => Type.Literal(v)));
/** `asc` / `desc` in any case */
const ORDER = Type.String({ pattern: '^([aA][sS][cC]|[dD][eE][sS][cC])$', description: '`asc` or `desc`, in any case', examples: ['desc'] });

export function sortSchema(s: Searchable): TSchema {
  return literals(prefixed(s.prefix, Object.keys(s.sorts)));
}
export const orderSchema = ORDER;

/** POST /v1/{entity}/search: `{filter, comparison, sort, order, offset, limit}`, every key optional */
export function searchBodySchema(s: Searchable): TSchema {
  const fields = Object.keys(s.fields);
  const condition = Type.Object(
    {
      field: literals(prefixed(s.prefix, fields)),
      operator: literals(Object.values(OPERATORS).flat()),
      value: Type.Unknown({ description: 'an id, a timestamp, a string, null (nullable fields with = and !=) or, for tagsData, an array of `{name}`' }),
    },
    { additionalProperties: true },
  );
  const count = Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: '^[0-9]+$' })]);
  return Type.Object(
    {
      filter: Type.Optional(Type.Union([Type.Array(condition, { maxItems: SEARCH_LIMITS.conditions }), Type.Null()], { description: 'missing or empty matches everything' })),
      comparison: Type.Optional(Type.String({ pattern: '^([aA][nN][dD]|[oO][rR])$', description: '`AND` (default) or `OR`, in any case' })),
      sort: Type.Optional(sortSchema(s)),
      order: Type.Optional(ORDER),
      offset: Type.Optional(count),
      limit: Type.Optional(count),
    },
    { additionalProperties: true },
  );
}
