import type { FastifyInstance } from 'fastify';
import type { Deps } from '../app-deps.ts';
import { redisReady } from '../redis.ts';
import { VERSION } from '../version.ts';

/**
 * Liveness and readiness for load balancers; no auth, no rate limit. Without its database an
 * instance is unavailable (503); without Redis it still serves (rate limits fail open), so it
 * stays ready and says it is degraded.
 *
 * /health/live stays exactly {"status":"ok"} (issue 2); /health/ready also names the version
 * (issue 18), so a rolling upgrade can be watched instance by instance (docs/compatibility.md).
 */
export function healthRoutes(app: FastifyInstance, { database, redis }: Deps): void {
  const noLimit = { config: { rateLimit: false } };
  app.get('/health/live', noLimit, async () => ({ status: 'ok' }));
  app.get('/health/ready', noLimit, async (_req, reply) => {
    const db = (await database.ping()) ? 'ok' : 'down';
    const checks = redis ? { database: db, redis: redisReady(redis) ? 'ok' : 'down' } : { database: db };
    if (db === 'down') return reply.code(503).send({ status: 'unavailable', version: VERSION, checks });
    // Healthy: no details beyond the version; the checks only when one is not ok.
    return Object.values(checks).every((c) => c === 'ok') ? { status: 'ok', version: VERSION } : { status: 'degraded', version: VERSION, checks };
  });
}
