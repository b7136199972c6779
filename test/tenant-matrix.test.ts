// The tenant matrix (issue 15 item 4): every place a route takes an id — the URL, the query, the
// body (the main id and every other: assignee, agent, department, customer, application,
// expectedAssignee) and search filters — given another organization's id answers exactly what
// a missing id answers, byte for byte but the id, and changes nothing anywhere (the database's
// fingerprint). With an API key of A naming B's ids, and with an admin's inbox session of B
// naming A's ids on the routes a session may call. The places come from the shared route table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionMayCall } from '../src/http/session-routes.ts';
import { buildTestApp, client, type Client, type TestApp } from './helpers/app.ts';
import { factories } from './helpers/factories.ts';
import { fingerprint } from './helpers/fingerprint.ts';
import { routeWorld } from './helpers/route-world.ts';
import { idOf, patternOf, ROUTES, type Entity, type Method, type Request, type Route, type World } from './helpers/routes.ts';
import { sessionFor } from './helpers/session.ts';

let t: TestApp;
let a: World;
let b: World;
const callers = new Map<'key of A' | 'session of B', { client: Client; caller: () => World; owner: () => World }>();

/**
 * Each organization's entities linked the way a real one's are, so a leak would show: its chat
 * assigned, in its department, with a message by its first agent.
 */
async function linked(w: World): Promise<void> {
  const api = client(t.app, w.org.apiKey);
  const department = idOf(w, 'department');
  for (const [path, body] of [
    ['/v1/chats/assignee', { id: w.chat.id, assignee: w.agents[0].id }],
    ['/v1/chats/department', { id: w.chat.id, department }],
  ] as const) expect((await api.put(path, body)).status).toBe(200);
  expect((await api.post('/v1/messages', { chat: w.chat.id, text: 'hello', agent: w.agents[0].id })).status).toBe(200);
}

beforeAll(async () => {
  t = await buildTestApp();
  a = await routeWorld(t);
  b = await routeWorld(t);
  await linked(a);
  await linked(b);
  const admin = await factories(t.database, t.clock).agent(b.org.id, { role: 'admin' });
  const session = await sessionFor(t, b.org.id, admin.id);
  callers.set('key of A', { client: client(t.app, a.org.apiKey), caller: () => a, owner: () => b });
  callers.set('session of B', { client: session.api, caller: () => b, owner: () => a });
});
afterAll(() => t.close());

interface Place {
  name: string;
  entity: Entity;
  request: (w: World, id: number) => Request;
}

/** the route's URL or main body id (`missing`), then every other id-bearing place */
const placesOf = (route: Route): Place[] => [
  ...(route.missing ? [{ name: patternOf(route).includes(':id') ? 'url id' : 'body id', entity: route.foreign ?? 'chat', request: route.missing } as Place] : []),
  ...(route.ids ?? []),
];

const MISSING = 99_999_999;
const call = (c: Client, method: Method, r: Request) => (method === 'GET' ? c.get(r.path) : { POST: c.post, PUT: c.put, PATCH: c.patch, DELETE: c.delete }[method](r.path, r.body));

const rows = ROUTES.flatMap((route) =>
  placesOf(route).flatMap((place) =>
    [...(['key of A', 'session of B'] as const)]
      .filter((who) => who === 'key of A' || sessionMayCall(route.method, patternOf(route).split(' ')[1]))
      .map((who) => [`${patternOf(route)} ${place.name} (${place.entity}), ${who}`, route, place, who] as const),
  ),
);

describe.each(rows)('%s', (_, route, place, who) => {
  it("another organization's id → exactly the missing id's answer; nothing changes", async () => {
    const { client: c, caller, owner } = callers.get(who)!;
    const foreignId = idOf(owner(), place.entity);
    const before = await fingerprint(t.database);
    t.clock.advance(1);
    const foreign = await call(c, route.method, place.request(caller(), foreignId));
    const missing = await call(c, route.method, place.request(caller(), MISSING));
    expect(foreign.status).not.toBe(500);
    expect({ status: foreign.status, text: foreign.text.replaceAll(String(foreignId), 'ID') }).toEqual({ status: missing.status, text: missing.text.replaceAll(String(MISSING), 'ID') });
    // a search or list answers 200 with nothing in it, never the other organization's rows
    if (foreign.status < 300) expect(foreign.body.data ?? foreign.body).toEqual(Array.isArray(foreign.body.data) ? [] : foreign.body);
    expect(await fingerprint(t.database)).toEqual(before);
  });
});

it('the matrix covers every id-bearing place of the table: URL, body, query and filter ids, with a session too', () => {
  const names = new Set(rows.map(([name]) => name));
  for (const expected of [
    'PUT /v1/chats/assignee body expectedAssignee (agent), key of A',
    'POST /v1/chats body application (application), key of A',
    'GET /v1/inbox/chats query department (department), session of B',
    'POST /v1/chats/search filter chats.agents (agent), session of B',
    'POST /v1/customers/search filter customers.id (customer), key of A',
    'DELETE /v1/inbox/sessions/:id url id (session), session of B',
    'DELETE /v1/webhooks/:id url id (webhook), key of A',
    'PUT /v1/agents/:id/status url id (agent), session of B',
  ]) expect(names).toContain(expected);
});
