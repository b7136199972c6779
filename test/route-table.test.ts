// The route table (helpers/routes.ts) is what route-checks, the fuzz suites and the tenant matrix
// run over: a route the app serves but the table lacks would escape all three. This reads what
// the app really registered and fails on any difference.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helpers/app.ts';
import { registeredRoutes } from './helpers/registered-routes.ts';
import { patternOf, ROUTES } from './helpers/routes.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

/**
 * Not in the table, on purpose: HEAD (Fastify adds one to every GET), the health probes (no key,
 * no database change, answered by the load balancer's checks), the inbox's static files (`/`,
 * `/index.html`, `/assets/*`: test/inbox-static.test.ts) and the API's own description
 * (`/openapi.json`, `/docs` and its files: no key, no input; test/openapi.test.ts).
 */
const OUTSIDE = new Set(['GET /', 'GET /index.html', 'GET /health/live', 'GET /health/ready', 'GET /openapi.json', 'GET /docs', 'GET /docs/:file']);

it('every route the app registers is in the route table, and every table entry is a route', () => {
  const registered = registeredRoutes(t.app.printRoutes({ commonPrefix: false })).filter((r) => !OUTSIDE.has(r) && !r.endsWith('*'));
  const table = ROUTES.map(patternOf);
  expect(registered.length).toBeGreaterThan(50); // the tree was read, not skipped
  expect([...new Set(table)].sort()).toEqual([...new Set(registered)].sort());
});

it('reads nested routes from the tree (the parser the check above relies on)', () => {
  const tree = ['└── / (GET, HEAD)', '    ├── v1/chats (GET, HEAD, POST)', '    │   └── /:id (GET, HEAD)', '    │       └── /route (POST)', '    └── v1/agents (GET, HEAD)'].join('\n');
  expect(registeredRoutes(tree)).toEqual(['GET /', 'GET /v1/chats', 'POST /v1/chats', 'GET /v1/chats/:id', 'POST /v1/chats/:id/route', 'GET /v1/agents']);
});
