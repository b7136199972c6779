// The OpenAPI 3.1 document, built from the operations (operations-*.ts), the schemas the routes
// parse with and answer in, and the event envelope. Built once per process, on first request.
// A schema carrying a `$id` (the models of API.md §3) becomes `components.schemas[$id]` and a
// `$ref` wherever it is used; a use that adds a mark (`x-handoff-extension`, a description)
// keeps it beside the `$ref`, as 3.1 allows.
import { readFileSync } from 'node:fs';
import type { TSchema } from '@sinclair/typebox';
import { changesState, sessionMayCall } from '../http/session-routes.ts';
import { MAX_LIMIT } from '../input/pagination.ts';
import { SESSION_COOKIE } from '../modules/sessions/session-secrets.ts';
import { EXTENSION } from '../presenters/schema.ts';
import { ERROR_RESPONSES, ERROR_SCHEMAS, HEADER_COMPONENTS, RATE_LIMIT_HEADERS, type ErrorResponse } from './errors.ts';
import type { Operation } from './operation.ts';
import { EXTENSION_OPERATIONS } from './operations-extensions.ts';
import { REFERENCE_OPERATIONS } from './operations-reference.ts';
import { webhooksSection } from './webhooks.ts';

export const OPERATIONS: readonly Operation[] = [...REFERENCE_OPERATIONS, ...EXTENSION_OPERATIONS];

type Json = Record<string, unknown>;
/** keys a use of a named schema may add without being another schema */
const MARKS = new Set([EXTENSION, 'description']);

/** `/v1/chats/:id` → `/v1/chats/{id}` */
export const openApiPath = (fastifyPath: string) => fastifyPath.replace(/:(\w+)/g, '{$1}');

class Components {
  readonly schemas: Record<string, Json> = { ...ERROR_SCHEMAS };

  /** a schema as the document writes it: named schemas inside it become `$ref`s */
  use(schema: TSchema): unknown {
    return this.walk(JSON.parse(JSON.stringify(schema)), false);
  }

  private walk(node: unknown, root: boolean): unknown {
    if (Array.isArray(node)) return node.map((n) => this.walk(n, false));
    if (node === null || typeof node !== 'object') return node;
    const { $id, ...rest } = node as Json;
    if (typeof $id === 'string' && !root) return this.reference($id, rest);
    return Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, this.walk(v, false)]));
  }

  private reference(name: string, schema: Json): Json {
    const known = this.schemas[name];
    if (!known) {
      this.schemas[name] = {}; // a schema that refers to itself stops here
      this.schemas[name] = this.walk(schema, true) as Json;
      return { $ref: `#/components/schemas/${name}` };
    }
    const marks = Object.fromEntries(Object.entries(schema).filter(([k, v]) => MARKS.has(k) && JSON.stringify(known[k]) !== JSON.stringify(v)));
    const unmarked = (s: Json) => JSON.stringify(this.walk(Object.fromEntries(Object.entries(s).filter(([k]) => !MARKS.has(k))), true));
    if (unmarked(schema) !== unmarked(known)) throw new Error(`two different schemas are named ${name}`);
    return { $ref: `#/components/schemas/${name}`, ...marks };
  }
}

const ref = (name: ErrorResponse) => ({ $ref: `#/components/responses/${name}` });

/** the error answers of an operation, by status (operation.ts ExtraError says which kinds imply which) */
function errorsOf(op: Operation): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const extra = new Set(op.errors ?? []);
  if (op.body || op.paged || op.query || extra.has('400')) out['400'] = ref('BadRequest');
  const key = !op.public;
  const signIn = op.public && op.path.startsWith('/v1/');
  if (key || signIn) out['401'] = ref('Unauthorized');
  if (extra.has('403') || (key && sessionMayCall(op.method, op.path) && changesState(op.method))) out['403'] = ref('Forbidden');
  if (op.pathEntity) out['404'] = ref('NotFound');
  if (extra.has('404 chat in body')) out['404'] = ref('ChatNotFount');
  if (extra.has('409')) out['409'] = ref('Conflict');
  if (op.body) out['413'] = ref('PayloadTooLarge');
  if (key || signIn) out['429'] = ref('TooManyRequests');
  return out;
}

const integerParam = (name: string, where: 'path' | 'query', description: string, extra: Json = {}) => ({
  name,
  in: where,
  ...(where === 'path' ? { required: true } : {}),
  description,
  schema: { type: 'integer', minimum: where === 'path' ? 1 : 0, ...extra },
});

const operationId = (op: Operation) =>
  op.method.toLowerCase() +
  op.path
    .replace(/^\/v1/, '')
    .split(/[/.]/)
    .filter(Boolean)
    .map((s) => (s.startsWith(':') ? 'ById' : s[0].toUpperCase() + s.slice(1)))
    .join('');

function operationObject(op: Operation, c: Components): Json {
  const parameters: unknown[] = [];
  if (op.pathEntity) parameters.push(integerParam('id', 'path', `the ${op.pathEntity.toLowerCase()}'s id; an unknown one (another organization's, a non-number) is a 404`));
  if (op.paged) {
    parameters.push(integerParam('offset', 'query', 'items to skip (default 0)'));
    parameters.push(integerParam('limit', 'query', `items per page (default ${MAX_LIMIT}; larger values are clamped to ${MAX_LIMIT})`));
  }
  for (const q of op.query ?? []) parameters.push({ name: q.name, in: 'query', ...(q.description ? { description: q.description } : {}), schema: c.use(q.schema) });
  if ('stream' in op.ok) {
    parameters.push({ name: 'Last-Event-ID', in: 'header', description: 'resume after this position (what EventSource sends when it reconnects)', schema: { type: 'string', pattern: '^[0-9]+$' } });
  }

  const okHeaders = op.public ? {} : { headers: RATE_LIMIT_HEADERS };
  const content =
    'stream' in op.ok
      ? { 'text/event-stream': { schema: { type: 'string', description: 'events: `id: <position>`, `event: <name>`, `data: <envelope JSON>` (see `webhooks`); comment lines keep the connection alive' } } }
      : { [op.ok.contentType ?? 'application/json']: { schema: c.use(op.ok.schema) } };
  const bodyRequired = op.body !== undefined && ((op.body as { required?: string[] }).required?.length ?? 0) > 0;

  return {
    operationId: operationId(op),
    tags: [op.tag],
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    ...(op.ext ? { [EXTENSION]: true } : {}),
    ...(op.public ? { security: [] } : sessionMayCall(op.method, op.path) ? { security: [{ apiKey: [] }, { inboxSession: [] }] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(op.body ? { requestBody: { required: bodyRequired || op.body.type === 'array', content: { 'application/json': { schema: c.use(op.body) } } } } : {}),
    responses: { [String(op.ok.status)]: { description: op.ok.description, ...okHeaders, content }, ...errorsOf(op) },
  };
}

const INTRODUCTION = [
  'The HelpCrunch REST API v1 as Handoff serves it: an integration written for HelpCrunch works by changing its base URL.',
  'What HelpCrunch does not have is marked `x-handoff-extension: true` (operations and fields).',
  '',
  'Conventions: every body is read as JSON whatever its Content-Type; unknown fields are ignored; an id or integer may be sent as a JSON integer or a string of digits;',
  'timestamps come back as UNIX seconds in a string of digits (or null) and are accepted as an integer, a digit string or a fractional digit string.',
  'Lists page with `offset` and `limit` (query for GET, body for searches). Every error is `{"errors":[{"code","message"}…]}`; every answer of a `/v1` route carries RateLimit headers.',
].join('\n');

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function buildDocument(): Json {
  const c = new Components();
  const paths: Record<string, Json> = {};
  for (const op of OPERATIONS) {
    const path = openApiPath(op.path);
    paths[path] = { ...paths[path], [op.method.toLowerCase()]: operationObject(op, c) };
  }
  const webhooks = webhooksSection((s) => c.use(s));
  return {
    openapi: '3.1.0',
    info: { title: 'Handoff', version: version(), description: INTRODUCTION, license: { name: 'MIT', identifier: 'MIT' } },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    security: [{ apiKey: [] }],
    tags: [...new Set(OPERATIONS.map((o) => o.tag))].map((name) => ({ name })),
    paths,
    webhooks,
    components: {
      schemas: c.schemas,
      responses: ERROR_RESPONSES,
      headers: HEADER_COMPONENTS,
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'an API key of the organization: `Authorization: Bearer <key>`' },
        inboxSession: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_COOKIE,
          description: "[ext] the operator inbox's session (POST /v1/inbox/session), on the routes the inbox uses; a change must echo the session's CSRF token in X-CSRF-Token",
          [EXTENSION]: true,
        },
      },
    },
  };
}

let built: string | null = null;
/** the document as served: built on first use, then the same bytes */
export function documentJson(): string {
  built ??= JSON.stringify(buildDocument());
  return built;
}
