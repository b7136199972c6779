// The contract test (issue 16): every route of the route table is called on a live server — its
// sample request, and a request for each error status the document gives it — and every answer
// must have a documented status and a body valid against the document's schema for it (ajv,
// JSON Schema 2020-12 as OpenAPI 3.1 uses it; nothing coerced). Objects the document describes
// with properties are closed here, so a key a presenter adds without documenting it fails too.
// Every documented status must be seen at least once: a documented answer no request provokes fails.
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setAgentPassword } from '../src/modules/sessions/sessions.service.ts';
import { openApiPath } from '../src/openapi/document.ts';
import { buildTestApp, type TestApp } from './helpers/app.ts';
import { factories } from './helpers/factories.ts';
import { routeWorld } from './helpers/route-world.ts';
import { passed, patternOf, ROUTES, type Route, type World } from './helpers/routes.ts';
import { sessionFor, type TestSession } from './helpers/session.ts';

const PASSWORD = 'contract test password';
let t: TestApp;
let base: string;
let doc: any;
let ajv: InstanceType<typeof Ajv2020>;
let w: World;
let limitedKey: string;
let agentSession: TestSession;
let sessionAgentId: number;

/** adds `additionalProperties: false` to every object schema with properties that says nothing of them */
function closeObjects(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(closeObjects);
  if (node === null || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  if (o.type === 'object' && o.properties && !('additionalProperties' in o)) o.additionalProperties = false;
  Object.values(o).forEach(closeObjects);
}

beforeAll(async () => {
  // private addresses allowed: a subscription to a local URL is the success case of POST /v1/webhooks
  t = await buildTestApp({ config: { webhookAllowPrivate: true } });
  w = await routeWorld(t, 4);
  const f = factories(t.database, t.clock);
  await setAgentPassword(t.database, t.clock, w.org.id, w.agents[0].id, PASSWORD);
  const limited = await f.org({ rateLimitPerMinute: 1 });
  limitedKey = limited.apiKey;
  sessionAgentId = (await f.agent(w.org.id, { role: 'agent' })).id; // not an admin: the sessions list refuses it
  agentSession = await sessionFor(t, w.org.id, sessionAgentId);
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  doc = await (await fetch(`${base}/openapi.json`)).json();
  const closed = structuredClone(doc);
  closeObjects(closed);
  ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema(closed, 'doc');
  await call('GET', `/v1/organization`, undefined, { authorization: `Bearer ${limitedKey}` }); // the limited organization's one request
});
afterAll(() => t.close());

interface Answer {
  status: number;
  contentType: string;
  body: unknown;
}

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const controller = new AbortController();
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    signal: controller.signal,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const contentType = res.headers.get('content-type') ?? '';
  if (contentType.startsWith('text/event-stream')) {
    controller.abort(); // a stream never ends: its status and type are the answer
    return { status: res.status, contentType, body: undefined };
  }
  const text = await res.text();
  return { status: res.status, contentType, body: contentType.startsWith('application/json') ? JSON.parse(text) : text };
}

const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** problems of one answer to `METHOD /pattern` against the document; none when it conforms */
function check(pattern: string, answer: Answer): string[] {
  const [method, path] = pattern.split(' ');
  const operation = doc.paths[openApiPath(path)]?.[method.toLowerCase()];
  if (!operation) return [`${pattern} is not in the document`];
  let response = operation.responses[String(answer.status)];
  let pointer = `#/paths/${escape(openApiPath(path))}/${method.toLowerCase()}/responses/${answer.status}`;
  if (!response) return [`${pattern} answered ${answer.status}, which the document does not give it: ${JSON.stringify(answer.body)}`];
  if (response.$ref) {
    pointer = response.$ref;
    response = doc.components.responses[response.$ref.split('/').pop()];
  }
  const type = answer.contentType.split(';')[0];
  if (!response.content?.[type]) return [`${pattern} ${answer.status} answered ${type}, not a documented type`];
  if (type === 'text/event-stream') return [];
  const validate = ajv.getSchema(`doc${pointer}/content/${escape(type)}/schema`) ?? ajv.compile({ $ref: `doc${pointer}/content/${escape(type)}/schema` });
  return validate(answer.body) ? [] : [`${pattern} ${answer.status}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(answer.body).slice(0, 300)}`];
}

const documentedStatuses = (pattern: string): string[] => {
  const [method, path] = pattern.split(' ');
  return Object.keys(doc.paths[openApiPath(path)][method.toLowerCase()].responses);
};

const key = (k = w.org.apiKey) => ({ authorization: `Bearer ${k}` });
const withQuery = (path: string, query: string) => `${path}${path.includes('?') ? '&' : '?'}${query}`;
const MALFORMED = '{"id": 1,';
const TOO_LARGE = `{"text":"${'a'.repeat(1024 * 1024 + 16)}"}`;

/** the requests that should provoke `status` on `route`; each answer is checked whatever it is */
function provokers(route: Route, pattern: string, status: string): Array<() => Promise<Answer>> {
  const { method } = route;
  const path = route.path(w);
  const body = route.body?.(w);
  const auth = route.public ? {} : key();
  switch (status) {
    case '400':
      return [
        () => call(method, path, route.body ? MALFORMED : undefined, auth),
        () => call(method, withQuery(path, route.stream ? 'lastEventId=abc' : 'limit=-1'), body, auth),
      ];
    case '401':
      return [() => call(method, path, body), () => call(method, path, body, { authorization: 'Bearer hk_wrong' })];
    case '403':
      return [
        () => call(method, path, body, { cookie: agentSession.cookie }), // a change without its CSRF token; a role's refusal
        () => call(method, path, body, auth), // an API key on a session's own route
      ];
    case '404': {
      const missing = route.missing?.(w, 99_999_999);
      return missing ? [() => call(method, missing.path, missing.body, auth)] : [];
    }
    case '409':
      return [() => conflict(pattern)];
    case '413':
      return [() => call(method, path, TOO_LARGE, auth)];
    case '429':
      return route.public
        ? Array.from({ length: 6 }, () => () => call(method, path, { email: 'limited@example.test', password: 'wrong' }))
        : [() => call(method, path, body, key(limitedKey))];
    default:
      return [];
  }
}

/** the [ext] compare-and-set refusals: an expectedAssignee that does not hold, a closed chat routed */
async function conflict(pattern: string): Promise<Answer> {
  if (pattern === 'PUT /v1/chats/assignee') {
    return call('PUT', '/v1/chats/assignee', { id: w.chat.id, assignee: null, expectedAssignee: w.agents[2].id }, key());
  }
  const chat = await factories(t.database, t.clock).chat(w.org.id, { applicationId: w.org.applicationId });
  await call('PUT', '/v1/chats/status', { id: chat.id, status: 'closed' }, key());
  return call('POST', `/v1/chats/${chat.id}/route`, {}, key());
}

const SUCCESS_MADE_HERE = new Set(['POST /v1/inbox/session', 'GET /v1/inbox/session', 'DELETE /v1/inbox/session', 'PUT /v1/chats/rate', 'POST /v1/webhooks']);

/** the success answer: the sample; the sign-in with a password, the session routes with a session */
function success(route: Route, pattern: string): Promise<Answer> {
  if (pattern === 'POST /v1/inbox/session') return call('POST', '/v1/inbox/session', { email: w.agents[0].email, password: PASSWORD });
  if (pattern === 'GET /v1/inbox/session' || pattern === 'DELETE /v1/inbox/session') {
    return call(route.method, route.path(w), undefined, { cookie: agentSession.cookie, 'x-csrf-token': agentSession.csrfToken });
  }
  if (pattern === 'PUT /v1/chats/rate') return rated();
  return call(route.method, route.path(w), route.body?.(w), route.public ? {} : key());
}

/** only a closed chat with an agent's message can be rated (API.md §4.2) */
async function rated(): Promise<Answer> {
  const chat = await factories(t.database, t.clock).chat(w.org.id, { applicationId: w.org.applicationId });
  await call('POST', '/v1/messages', { chat: chat.id, text: 'Hello', agent: w.agents[0].id }, key());
  await call('PUT', '/v1/chats/status', { id: chat.id, status: 'closed' }, key());
  return call('PUT', '/v1/chats/rate', { id: chat.id, rating: 'great' }, key());
}

describe.each(ROUTES.map((r) => [patternOf(r), r] as const))('%s', (pattern, route) => {
  it('answers only what the document says, in the documented shapes, and every documented status', async () => {
    const problems: string[] = [];
    const seen = new Set<string>();
    const record = (answer: Answer) => {
      seen.add(String(answer.status));
      problems.push(...check(pattern, answer));
    };
    const ok = await success(route, pattern);
    record(ok);
    // the sample's own answer, or a success where this file makes one (sign-in, a session's routes)
    const made = SUCCESS_MADE_HERE.has(pattern);
    expect(made ? ok.status < 300 : passed(route, ok.status), JSON.stringify(ok.body)).toBe(true);
    for (const status of documentedStatuses(pattern)) {
      for (const provoke of provokers(route, pattern, status)) {
        if (seen.has(status)) break;
        record(await provoke());
      }
    }
    // DELETE /v1/inbox/session ends the session the next checks use: start it again
    if (pattern === 'DELETE /v1/inbox/session') agentSession = await sessionFor(t, w.org.id, sessionAgentId);
    expect(problems).toEqual([]);
    expect(documentedStatuses(pattern).filter((s) => !seen.has(s))).toEqual([]);
  });
});

describe('outside /v1', () => {
  it.each(['GET /health/live', 'GET /health/ready', 'GET /openapi.json', 'GET /docs'])('%s answers as documented', async (pattern) => {
    const answer = await call('GET', pattern.split(' ')[1]);
    expect(answer.status).toBe(200);
    expect(check(pattern, answer)).toEqual([]);
  });
});

describe('the check itself', () => {
  it('refuses an undocumented key, a wrong type and an undocumented status', async () => {
    const chat = await call('GET', `/v1/chats/${w.chat.id}`, undefined, key());
    expect(check('GET /v1/chats/:id', chat)).toEqual([]);
    expect(check('GET /v1/chats/:id', { ...chat, body: { ...(chat.body as object), extra: 1 } })).toHaveLength(1);
    expect(check('GET /v1/chats/:id', { ...chat, body: { ...(chat.body as object), id: String(w.chat.id) } })).toHaveLength(1);
    expect(check('GET /v1/chats/:id', { ...chat, status: 409 })).toHaveLength(1);
  });
});
