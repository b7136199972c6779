// Per-organization fixed-window rate limit (API.md §1, §5) with @fastify/rate-limit: counted
// per organization (all its keys together), after authentication, before the body is read.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { TooManyRequests } from '../errors.ts';

export interface RateLimitOptions {
  /** default limit per organization per minute; an organization's override wins */
  perMinute: number;
  /** with Redis the window is counted for all instances together (API.md §1) */
  redis?: Redis | null;
  /**
   * an inbox session's own limit per minute (docs/inbox.md): a signed-in agent is counted alone,
   * so a team's open pages, which refetch on every live event, neither exhaust nor share the
   * organization's API budget
   */
  sessionPerMinute: number;
  /** Redis key prefix (REDIS_PREFIX) */
  prefix?: string;
}

export async function installRateLimit(app: FastifyInstance, opts: RateLimitOptions): Promise<void> {
  const all = { 'ratelimit-limit': true, 'ratelimit-remaining': true, 'ratelimit-reset': true, 'retry-after': true };
  await app.register(rateLimit, {
    global: true,
    // Runs after the authenticating onRequest hook of the /v1 scope (route-level hooks come last).
    hook: 'onRequest',
    timeWindow: 60_000,
    max: (request) => (request.auth?.session ? opts.sessionPerMinute : (request.auth?.rateLimitPerMinute ?? opts.perMinute)),
    keyGenerator: (request) => (request.auth.session ? `agent:${request.auth.session.agentId}` : `org:${request.auth.orgId}`),
    enableDraftSpec: true, // RateLimit-Limit / -Remaining / -Reset headers
    addHeaders: all,
    addHeadersOnExceeding: all,
    errorResponseBuilder: () => new TooManyRequests(),
    ...(opts.redis ? { redis: opts.redis, nameSpace: `${opts.prefix ?? 'handoff:'}rate:` } : {}),
    // Redis away: serve rather than refuse (fail open); the connection logs the outage.
    skipOnError: true,
  });
}
