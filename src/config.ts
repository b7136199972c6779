// Reads process.env once into a frozen, typed object. A bad variable is never silently
// replaced by a default: start-up is refused with every problem listed at once.

import type { SqliteSynchronous } from './db/handle.ts';

export interface Config {
  readonly host: string;
  /**
   * which proxies' X-Forwarded-For / -Proto to believe (Fastify's trustProxy): false (none), true
   * (any: only when nothing reaches the server but through the proxy), or addresses / CIDRs
   */
  readonly trustProxy: boolean | string[];
  readonly port: number;
  /** `sqlite:<path>`, `sqlite::memory:` or `postgres://…` */
  readonly databaseUrl: string;
  /** PostgreSQL: connections per instance */
  readonly databasePoolSize: number;
  /** PostgreSQL: statement_timeout, so a runaway query cannot hold a connection forever */
  readonly databaseStatementTimeoutMs: number;
  /** shared rate limits and live-event fan-out between instances; null = in-process */
  readonly redisUrl: string | null;
  /** prefix of every Redis key and channel, so deployments can share one Redis */
  readonly redisPrefix: string;
  readonly sqliteSynchronous: SqliteSynchronous;
  /**
   * seed a demo organization into an empty database: HANDOFF_DEMO, by default only on the
   * quick-start path (SQLite, NODE_ENV not production), never a production start's surprise
   */
  readonly demo: boolean;
  /** default per-organization limit; an organization's own override wins (API.md §1) */
  readonly rateLimitPerMinute: number;
  readonly logLevel: string;
  /** `pretty` (one readable line each, for a terminal) or `json` (one JSON object per line, for a collector) */
  readonly logFormat: LogFormat;
  /** deliver webhooks to loopback and private addresses too (tests, a receiver on the same host) */
  readonly webhookAllowPrivate: boolean;
  /** run the webhook delivery worker on this instance (any number of instances may) */
  readonly webhookWorker: boolean;
  /** one delivery attempt: connect, send, answer and body, ms */
  readonly webhookTimeoutMs: number;
  /** deliveries in flight per instance */
  readonly webhookConcurrency: number;
  /** how often an idle worker looks for due deliveries, ms (new events on this instance wake it at once) */
  readonly webhookPollMs: number;
  /** a claimed delivery is taken over by another worker after this long (a crashed instance's claims), s */
  readonly webhookLeaseSeconds: number;
  /** requests per minute of one signed-in agent's inbox sessions (counted apart from the organization's API keys) */
  readonly inboxRateLimitPerMinute: number;
  /** open live streams (GET /v1/events/stream) one organization may hold on one instance; beyond: 429 */
  readonly eventStreamsPerOrganization: number;
  /** delivered webhook queue rows and the delivery log are kept this long, days (modules/webhooks/retention.ts) */
  readonly webhookRetentionDays: number;
  /** after SIGTERM, the process exits by this deadline even if a connection hangs, ms */
  readonly shutdownTimeoutMs: number;
  /** SQLite: answer a search's total from memory while the database is unchanged (modules/search/totals-cache.ts) */
  readonly searchTotalsCache: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
export const LOG_FORMATS = ['pretty', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** pretty for a person at a terminal; JSON for whatever collects the output of a service */
export const defaultLogFormat = (): LogFormat => (process.stdout.isTTY ? 'pretty' : 'json');

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const problems: string[] = [];
  const text = (name: string, fallback: string) => {
    const v = env[name];
    return v === undefined || v === '' ? fallback : v;
  };
  const int = (name: string, fallback: number, min: number, max: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${name}=${raw}: expected a whole number from ${min} to ${max}`);
      return fallback;
    }
    return Number(raw);
  };
  const choice = <T extends string>(name: string, fallback: T, allowed: readonly T[]): T => {
    const raw = text(name, fallback).toLowerCase() as T;
    if (!allowed.includes(raw)) {
      problems.push(`${name}=${env[name]}: expected one of ${allowed.join(', ')}`);
      return fallback;
    }
    return raw;
  };

  const databaseUrl = text('DATABASE_URL', 'sqlite:./data/handoff.sqlite');
  if (!/^sqlite:.+/.test(databaseUrl) && !/^postgres(ql)?:\/\/.+/.test(databaseUrl)) {
    problems.push(`DATABASE_URL=${databaseUrl}: expected sqlite:<path> or postgres://user@host:port/database`);
  }
  const redisUrl = env.REDIS_URL ? env.REDIS_URL : null;
  if (redisUrl && !/^rediss?:\/\/.+/.test(redisUrl)) problems.push(`REDIS_URL=${redisUrl}: expected redis://host:port`);
  // Unset, the demo is for the quick start only: a production start (PostgreSQL, or NODE_ENV=
  // production) on an empty database must not get an organization with a live key (issue 18).
  const quickStart = /^sqlite:/.test(databaseUrl) && text('NODE_ENV', '') !== 'production';
  const demo = choice('HANDOFF_DEMO', quickStart ? '1' : '0', ['0', '1', 'true', 'false']);
  const flag = (name: string, fallback: '0' | '1') => {
    const v = choice(name, fallback, ['0', '1', 'true', 'false']);
    return v === '1' || v === 'true';
  };
  const webhookTimeoutMs = int('WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000);
  const webhookLeaseSeconds = int('WEBHOOK_LEASE_SECONDS', 60, 2, 86_400);
  // A claim must outlive the attempt it covers, or a second worker would send it meanwhile.
  if (webhookLeaseSeconds * 1000 < webhookTimeoutMs + 1000) {
    problems.push(`WEBHOOK_LEASE_SECONDS=${webhookLeaseSeconds}: must exceed WEBHOOK_TIMEOUT_MS (${webhookTimeoutMs} ms) by at least 1 s`);
  }

  const trustProxy = (() => {
    const raw = text('TRUST_PROXY', '0').trim();
    if (['0', 'false'].includes(raw)) return false;
    if (['1', 'true'].includes(raw)) return true;
    const list = raw.split(',').map((p) => p.trim()).filter(Boolean);
    if (list.every((p) => /^[0-9a-f.:]+(\/\d{1,3})?$/i.test(p))) return list;
    problems.push(`TRUST_PROXY=${raw}: expected 0, 1, or a comma-separated list of proxy addresses or CIDRs`);
    return false;
  })();

  const config: Config = {
    host: text('HOST', '127.0.0.1'),
    trustProxy,
    port: int('PORT', 8080, 0, 65535),
    databaseUrl,
    databasePoolSize: int('DATABASE_POOL_SIZE', 10, 1, 1000),
    databaseStatementTimeoutMs: int('DATABASE_STATEMENT_TIMEOUT_MS', 10_000, 100, 3_600_000),
    redisUrl,
    redisPrefix: text('REDIS_PREFIX', 'handoff:'),
    sqliteSynchronous: choice('SQLITE_SYNCHRONOUS', 'full', ['full', 'normal'] as const),
    demo: demo === '1' || demo === 'true',
    rateLimitPerMinute: int('RATE_LIMIT_PER_MINUTE', 120, 1, 1_000_000_000),
    inboxRateLimitPerMinute: int('INBOX_RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000_000),
    logLevel: choice('LOG_LEVEL', 'info', LOG_LEVELS),
    logFormat: choice('LOG_FORMAT', defaultLogFormat(), LOG_FORMATS),
    webhookAllowPrivate: flag('WEBHOOK_ALLOW_PRIVATE', '0'),
    webhookWorker: flag('WEBHOOK_WORKER', '1'),
    webhookTimeoutMs,
    webhookConcurrency: int('WEBHOOK_CONCURRENCY', 32, 1, 1000),
    webhookPollMs: int('WEBHOOK_POLL_INTERVAL_MS', 1_000, 10, 600_000),
    webhookLeaseSeconds,
    searchTotalsCache: flag('SEARCH_TOTALS_CACHE', '1'),
    webhookRetentionDays: int('WEBHOOK_RETENTION_DAYS', 30, 1, 36_500),
    shutdownTimeoutMs: int('SHUTDOWN_TIMEOUT_MS', 10_000, 100, 600_000),
    eventStreamsPerOrganization: int('EVENT_STREAMS_PER_ORGANIZATION', 100, 1, 100_000),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}
