// The Redis connection shared by the rate limiter and the live-event hub (issue 5). Commands
// fail fast while Redis is away (no offline queue), so callers can fail open instead of
// hanging; ioredis reconnects by itself and everything resumes when Redis returns.
import { Redis } from 'ioredis';

export interface RedisLog {
  warn(details: object, message: string): void;
  info(message: string): void;
}

export function connectRedis(url: string, log: RedisLog): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  let lastWarning = 0;
  redis.on('error', (err) => {
    // One line per 10 s while it is down, not one per retry.
    if (Date.now() - lastWarning < 10_000) return;
    lastWarning = Date.now();
    log.warn({ err: err.message }, 'Redis unavailable: rate limits are not enforced and live events stay on this instance until it returns');
  });
  redis.on('ready', () => log.info('Redis connected'));
  return redis;
}

export const redisReady = (redis: Redis): boolean => redis.status === 'ready';
