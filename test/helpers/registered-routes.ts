// What the app really registered, read from Fastify's route tree: route-table.test.ts compares it
// with the route table, openapi.test.ts with the OpenAPI document.
import type { FastifyInstance } from 'fastify';

/** `METHOD /path` of every route, read from printRoutes' tree (one level = 4 columns) */
export function registeredRoutes(tree: string): string[] {
  const stack: string[] = [];
  const out: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([\s│├└─]*)(.*?) \(([A-Z, ]+)\)$/.exec(line);
    if (!m) continue;
    const depth = m[1].length / 4;
    stack.length = depth;
    stack.push(m[2]);
    const path = stack.join('').replace(/^\/?/, '/');
    for (const method of m[3].split(', ')) if (method !== 'HEAD') out.push(`${method} ${path}`);
  }
  return out;
}

/** the app's routes as `METHOD /path` (Fastify's `:id` form), HEAD left out */
export const routesOf = (app: FastifyInstance) => registeredRoutes(app.printRoutes({ commonPrefix: false }));
