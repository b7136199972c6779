// A fresh database and app per test file (DESIGN rule 9): in memory by default, or a real
// file (WAL, fsync) for tests that listen on a port.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { fixedClock } from '../../src/lib/clock.ts';

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  clock: ReturnType<typeof fixedClock>;
  config: Config;
  close(): Promise<void>;
}

export const T0 = 1_700_000_000;

export async function buildTestApp(opts: { config?: Partial<Config>; onDisk?: boolean } = {}): Promise<TestApp> {
  const dir = opts.onDisk ? mkdtempSync(join(tmpdir(), 'handoff-test-')) : null;
  const url = dir ? `sqlite:${join(dir, 'handoff.sqlite')}` : 'sqlite::memory:';
  const config: Config = { ...loadConfig({}), databaseUrl: url, logLevel: 'silent', demo: false, ...opts.config };
  const database = openDatabase(url, { sqliteSynchronous: config.sqliteSynchronous });
  await migrate(database.db);
  const clock = fixedClock(T0);
  const app = await buildApp({ config, database, clock });
  return {
    app,
    database,
    clock,
    config,
    async close() {
      await app.close();
      await database.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
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
