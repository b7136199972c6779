import type { FastifyInstance } from 'fastify';
import type { Deps } from '../app-deps.ts';
import { redisReady } from '../redis.ts';

/** Liveness and readiness for load balancers; no auth, no rate limit. */
/**
 * Liveness and readiness for load balancers; no auth, no rate limit. Without its database an
 * instance is unavailable (503); without Redis it still serves (rate limits fail open), so it
 * stays ready and says it is degraded.
 */
export function healthRoutes(app: FastifyInstance, { database, redis }: Deps): void {
  const noLimit = { config: { rateLimit: false } };
  app.get('/health/live', noLimit, async () => ({ status: 'ok' }));
  app.get('/health/ready', noLimit, async (_req, reply) => {
    const db = (await database.ping()) ? 'ok' : 'down';
    const checks = redis ? { database: db, redis: redisReady(redis) ? 'ok' : 'down' } : { database: db };
    if (db === 'down') return reply.code(503).send({ status: 'unavailable', checks });
    // Issue 2 fixes the healthy answer as exactly {"status":"ok"}; details only when not.
    return Object.values(checks).every((c) => c === 'ok') ? { status: 'ok' } : { status: 'degraded', checks };
  });
}
