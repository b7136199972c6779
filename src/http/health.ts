import type { FastifyInstance } from 'fastify';
import type { Deps } from '../app-deps.ts';

/** Liveness and readiness for load balancers; no auth, no rate limit. */
export function healthRoutes(app: FastifyInstance, { database }: Deps): void {
  const noLimit = { config: { rateLimit: false } };
  app.get('/health/live', noLimit, async () => ({ status: 'ok' }));
  app.get('/health/ready', noLimit, async (_req, reply) => {
    if (await database.ping()) return { status: 'ok' };
    return reply.code(503).send({ status: 'unavailable', checks: { database: 'down' } });
  });
}
