// A fresh database and app per test file (DESIGN rule 9). On SQLite it is a real file (WAL,
// fsync, the read-only second connection production reads through) unless a test says why it
// wants memory instead.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp, type V1Routes } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import pg from 'pg';
import { inProcessHub, redisHub, type LiveHub } from '../../src/events/live-hub.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { connectRedis } from '../../src/redis.ts';

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  clock: ReturnType<typeof fixedClock>;
  config: Config;
  /** the live hub the app was given (`hub` option; one passed in is the caller's to close) */
  hub?: LiveHub;
  close(): Promise<void>;
}

export const T0 = 1_700_000_000;

/** Which database this test run uses: the vitest project sets HANDOFF_TEST_DB (vitest.config.ts). */
export const TEST_DB = process.env.HANDOFF_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

export interface TestDatabase {
  url: string;
  database: Database;
  drop(): Promise<void>;
}

export interface FreshDatabaseOptions {
  /**
   * SQLite in memory instead of a file, with the reason why. Memory has no reader connection:
   * every read goes through the writer, so a test on it skips the path production reads by.
   */
  inMemory?: string;
  /** replaces "every migration" (helpers/migrated-before.ts stops at an earlier one) */
  migrate?: (database: Database, schema?: string) => Promise<unknown>;
}

/**
 * A fresh, migrated database for one test file: a SQLite file in a temporary folder (removed
 * by `drop()`), or a schema of its own in TEST_DATABASE_URL's PostgreSQL, dropped afterwards.
 */
export async function freshDatabase(opts: FreshDatabaseOptions = {}): Promise<TestDatabase> {
  const migrate = opts.migrate ?? migrateDatabase;
  if (TEST_DB === 'postgres') {
    const url = process.env.TEST_DATABASE_URL!;
    const schema = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    await adminQuery(url, `create schema ${schema}`);
    // Small pools: every test file has its own, and PostgreSQL allows 100 connections in all.
    const database = openDatabase(url, { schema, poolSize: 4 });
    await migrate(database, schema);
    return { url, database, drop: () => adminQuery(url, `drop schema ${schema} cascade`) };
  }
  const dir = opts.inMemory ? null : mkdtempSync(join(tmpdir(), 'handoff-test-'));
  const url = dir ? `sqlite:${join(dir, 'handoff.sqlite')}` : 'sqlite::memory:';
  const database = openDatabase(url);
  await migrate(database);
  return { url, database, drop: async () => { if (dir) rmSync(dir, { recursive: true, force: true }); } };
}

/**
 * One database two processes can open: a file on SQLite; on PostgreSQL a database of its own
 * (a server process cannot be pointed at a test file's schema), dropped by `drop()`.
 */
export async function sharedDatabase(prefix: string): Promise<TestDatabase> {
  if (TEST_DB !== 'postgres') return freshDatabase();
  const server = process.env.TEST_DATABASE_URL!;
  const name = `handoff_${prefix}_${process.pid}_${Date.now()}`;
  await adminQuery(server, `create database ${name}`);
  const url = server.replace(/\/[^/?]*(\?|$)/, `/${name}$1`);
  const database = openDatabase(url, { poolSize: 4 });
  await migrateDatabase(database);
  return { url, database, drop: () => adminQuery(server, `drop database if exists ${name} with (force)`) };
}

/** one statement on a PostgreSQL server as the test user (create/drop schema or database) */
export async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export interface TestAppOptions extends Pick<FreshDatabaseOptions, 'inMemory'> {
  config?: Partial<Config>;
  /**
   * a live hub as server.ts wires one: in this process only, or on TEST_REDIS_URL under the
   * config's redisPrefix (a fresh one unless given, so parallel test files never hear each
   * other). Only the hub uses Redis: rate limits stay in process. Default: none.
   */
  hub?: 'in-process' | 'redis' | LiveHub;
  /** a database the test made (e.g. one a second process can open too); closed and dropped with the app */
  database?: TestDatabase;
  /** /v1 routes instead of the real ones (the bench's stack floor does this) */
  routes?: V1Routes[];
}

export async function buildTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const fresh = opts.database ?? (await freshDatabase(opts));
  const redisPrefix = opts.hub === 'redis' ? `test${process.pid}_${Math.random().toString(36).slice(2, 8)}:` : undefined;
  const config: Config = { ...loadConfig({}), logLevel: 'silent', demo: false, ...(redisPrefix ? { redisPrefix } : {}), ...opts.config };
  const clock = fixedClock(T0);
  const wired =
    typeof opts.hub === 'object' ? { hub: opts.hub, close: async () => {} } : opts.hub ? await testHub(fresh.database, opts.hub, config.redisPrefix) : undefined;
  const app = await buildApp({ config, database: fresh.database, clock, ...(wired ? { hub: wired.hub } : {}) }, opts.routes);
  return {
    app,
    database: fresh.database,
    clock,
    config,
    hub: wired?.hub,
    async close() {
      await app.close();
      await wired?.close();
      await fresh.database.close();
      await fresh.drop();
    },
  };
}

async function testHub(database: Database, kind: 'in-process' | 'redis', prefix: string): Promise<{ hub: LiveHub; close(): Promise<void> }> {
  if (kind === 'in-process') {
    const hub = inProcessHub(database);
    return { hub, close: () => hub.close() };
  }
  const url = process.env.TEST_REDIS_URL;
  if (!url) throw new Error('buildTestApp({ hub: "redis" }) needs TEST_REDIS_URL');
  const redis = connectRedis(url, { warn: () => {}, info: () => {} });
  await new Promise((r) => (redis.status === 'ready' ? r(null) : redis.once('ready', r)));
  const hub = redisHub(database, redis, prefix);
  return {
    hub,
    async close() {
      await hub.close();
      redis.disconnect();
    },
  };
}

export interface ApiResponse {
  status: number;
  headers: LightMyRequestResponse['headers'];
  body: any;
  text: string;
}

/**
 * A client for one API key: `await api.put('/v1/chats/assignee', {...})`. `defaults` are
 * headers sent on every call (an inbox session's cookie and CSRF token: test/helpers/session.ts).
 */
export function client(app: FastifyInstance, apiKey: string | null, defaults: Record<string, string> = {}) {
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> => {
    const res = await app.inject({
      method,
      url,
      headers: { ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}), ...defaults, ...headers },
      ...(payload === undefined ? {} : { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }),
    });
    let body: unknown;
    try {
      body = res.body === '' ? undefined : JSON.parse(res.body);
    } catch {
      body = undefined;
    }
    return { status: res.statusCode, headers: res.headers, body, text: res.body };
  };
  return {
    get: (url: string, headers?: Record<string, string>) => call('GET', url, undefined, headers),
    post: (url: string, payload?: unknown, headers?: Record<string, string>) => call('POST', url, payload, headers),
    put: (url: string, payload?: unknown, headers?: Record<string, string>) => call('PUT', url, payload, headers),
    patch: (url: string, payload?: unknown, headers?: Record<string, string>) => call('PATCH', url, payload, headers),
    delete: (url: string, payload?: unknown, headers?: Record<string, string>) => call('DELETE', url, payload, headers),
  };
}

export type Client = ReturnType<typeof client>;
