// The error answers of the document (API.md §2): the envelope `{"errors":[{code, message}…]}`
// per status, as errors.ts (toHttpError) writes them, and the rate-limit headers. Plain JSON
// Schema: errors.ts is the one place that shapes these bodies and it has no schema of its own.
const item = { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } };
const fixed = (code: unknown, message: unknown = { type: 'string' }) => ({
  type: 'object',
  required: ['code', 'message'],
  properties: { code, message },
});
const INVALID_REQUEST = fixed({ const: 'invalid_request' }, { const: 'Invalid request' });

/** `[invalid_request, <one item>]`: exactly two items */
const pair = (second: unknown) => ({
  type: 'object',
  required: ['errors'],
  properties: { errors: { type: 'array', prefixItems: [INVALID_REQUEST, second], minItems: 2, maxItems: 2 } },
});

const intHeader = (description: string) => ({ description, schema: { type: 'integer', minimum: 0 } });

/** [ext] on every answer of a rate-limited route (API.md §1) */
export const RATE_LIMIT_HEADERS = {
  'RateLimit-Limit': { $ref: '#/components/headers/RateLimit-Limit' },
  'RateLimit-Remaining': { $ref: '#/components/headers/RateLimit-Remaining' },
  'RateLimit-Reset': { $ref: '#/components/headers/RateLimit-Reset' },
};

export const HEADER_COMPONENTS = {
  'RateLimit-Limit': intHeader("requests allowed in the window (per organization, or per inbox session's agent)"),
  'RateLimit-Remaining': intHeader('requests left in the window'),
  'RateLimit-Reset': intHeader('seconds until the window resets'),
  'Retry-After': intHeader('seconds to wait before trying again'),
};

export const ERROR_SCHEMAS = {
  ErrorItem: item,
  Errors: {
    type: 'object',
    required: ['errors'],
    properties: { errors: { type: 'array', items: { $ref: '#/components/schemas/ErrorItem' }, minItems: 1 } },
  },
};

const json = (schema: unknown, example: unknown) => ({ 'application/json': { schema, example } });
const errors = (...items: Array<[string, string]>) => ({ errors: items.map(([code, message]) => ({ code, message })) });
const IR: [string, string] = ['invalid_request', 'Invalid request'];

/** `components.responses`, by the name operations refer to them with */
export const ERROR_RESPONSES = {
  BadRequest: {
    description:
      'Validation: `invalid_request` then one item per failing field, named by its path (`id`, `filter[0].field`, `[2].email`) with a Symfony-worded reason; ' +
      'malformed JSON: `{"code":"body","message":"Malformed JSON."}`. A duplicate `userId` leads with `invalid_userId_value`.',
    content: json({ $ref: '#/components/schemas/Errors' }, errors(IR, ['id', 'This value should not be blank.'])),
  },
  Unauthorized: {
    description: 'No key, a wrong or revoked key (`unauthorized`); a failed inbox sign-in (`credentials`)',
    content: json(pair(fixed({ enum: ['unauthorized', 'credentials'] })), errors(IR, ['unauthorized', 'Unauthorized'])),
  },
  Forbidden: {
    description: "[ext] An inbox session's change without its X-CSRF-Token header (`csrf`), or what its role may not do (`forbidden`)",
    content: json(pair(fixed({ enum: ['forbidden', 'csrf'] })), errors(IR, ['csrf', 'A change made in the inbox must carry its X-CSRF-Token header.'])),
  },
  NotFound: {
    description: 'The id in the path names nothing in the organization (another organization\'s id alike)',
    content: json(pair(fixed({ const: 'not_found' }, { type: 'string', pattern: ' not found$' })), errors(IR, ['not_found', 'Chat not found'])),
  },
  ChatNotFount: {
    description: 'The chat being changed, named in the body, is unknown: a single item, spelled `not_fount` as the reference documents it',
    content: json(
      { type: 'object', required: ['errors'], properties: { errors: { type: 'array', prefixItems: [fixed({ const: 'not_fount' })], minItems: 1, maxItems: 1 } } },
      errors(['not_fount', 'Chat for ID "542335" was not found']),
    ),
  },
  Conflict: {
    description: '[ext] The change no longer applies (an `expectedAssignee` that is not the assignee, a closed chat to route); nothing changed',
    content: json(pair(fixed({ const: 'conflict' })), errors(IR, ['conflict', 'The chat is assigned to someone else'])),
  },
  PayloadTooLarge: {
    description: 'The body is over 1 MiB',
    content: json(pair(fixed({ const: 'body' }, { const: 'Request body is too large.' })), errors(IR, ['body', 'Request body is too large.'])),
  },
  TooManyRequests: {
    description: 'Over the rate limit (per organization and minute; an inbox session per agent; failed sign-ins per account and address)',
    headers: { 'Retry-After': { $ref: '#/components/headers/Retry-After' }, ...RATE_LIMIT_HEADERS },
    content: json(pair(fixed({ const: 'too_many_requests' }, { const: 'Too many requests' })), errors(IR, ['too_many_requests', 'Too many requests'])),
  },
};

export type ErrorResponse = keyof typeof ERROR_RESPONSES;
