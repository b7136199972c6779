// A fresh database and app per test file (DESIGN rule 9): in memory by default, or a real
// file (WAL, fsync) for tests that listen on a port.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import pg from 'pg';
import { fixedClock } from '../../src/lib/clock.ts';

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  clock: ReturnType<typeof fixedClock>;
  config: Config;
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

/**
 * A fresh, migrated database for one test file: SQLite in memory (or a real file with
 * `onDisk`), or a schema of its own in TEST_DATABASE_URL's PostgreSQL, dropped afterwards.
 */
export async function freshDatabase(opts: { onDisk?: boolean } = {}): Promise<TestDatabase> {
  if (TEST_DB === 'postgres') {
    const url = process.env.TEST_DATABASE_URL!;
    const schema = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    await adminQuery(url, `create schema ${schema}`);
    // Small pools: every test file has its own, and PostgreSQL allows 100 connections in all.
    const database = openDatabase(url, { schema, poolSize: 4 });
    await migrateDatabase(database);
    return { url, database, drop: () => adminQuery(url, `drop schema ${schema} cascade`) };
  }
  const dir = opts.onDisk ? mkdtempSync(join(tmpdir(), 'handoff-test-')) : null;
  const url = dir ? `sqlite:${join(dir, 'handoff.sqlite')}` : 'sqlite::memory:';
  const database = openDatabase(url);
  await migrateDatabase(database);
  return { url, database, drop: async () => { if (dir) rmSync(dir, { recursive: true, force: true }); } };
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export async function buildTestApp(opts: { config?: Partial<Config>; onDisk?: boolean } = {}): Promise<TestApp> {
  const fresh = await freshDatabase(opts);
  const config: Config = { ...loadConfig({}), logLevel: 'silent', demo: false, ...opts.config };
  const clock = fixedClock(T0);
  const app = await buildApp({ config, database: fresh.database, clock });
  return {
    app,
    database: fresh.database,
    clock,
    config,
    async close() {
      await app.close();
      await fresh.database.close();
      await fresh.drop();
    },
  };
}

export interface ApiResponse {
  status: number;
  headers: LightMyRequestResponse['headers'];
  body: any;
  text: string;
}

/** A client for one API key: `await api.put('/v1/chats/assignee', {...})`. */
export function client(app: FastifyInstance, apiKey: string | null) {
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> => {
    const res = await app.inject({
      method,
      url,
      headers: { ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}), ...headers },
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
