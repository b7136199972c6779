// The demo only where it belongs (issue 18 item 1), with real server processes: the quick start
// on an empty SQLite file seeds the demo and prints its key once, as text; a production start —
// PostgreSQL, or NODE_ENV=production — seeds nothing and prints no key, unless HANDOFF_DEMO=1
// asks for the demo. No JSON log line ever carries the key. Each project tests its own database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.ts';
import { countOrganizations } from '../src/modules/organizations/organizations.repository.ts';
import { sharedDatabase, TEST_DB, type TestDatabase } from './helpers/app.ts';
import { startProcess } from './helpers/process.ts';

const dirs: string[] = [];
const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const d of databases.splice(0)) {
    await d.database.close();
    await d.drop();
  }
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const KEY = /hk_[0-9a-f]{40}/g;

/**
 * Starts the server on `databaseUrl` with `env` (the test's own NODE_ENV and HANDOFF_DEMO are
 * cleared first), waits for it to run, stops it, and returns what it printed, split into
 * JSON log lines and the rest.
 */
async function startAndStop(databaseUrl: string, env: Record<string, string>) {
  const server = startProcess('node', ['--import', 'tsx', 'src/main.ts'], { NODE_ENV: '', HANDOFF_DEMO: '', LOG_FORMAT: 'json', PORT: '0', DATABASE_URL: databaseUrl, ...env });
  try {
    await server.waitFor(/Handoff is running on http:\/\/[\d.]+:\d+/);
  } finally {
    server.stop();
    await server.exit();
  }
  const lines = server.output().split('\n').filter((l) => l.trim() !== '');
  const json = lines.filter((l) => l.startsWith('{'));
  return { output: server.output(), json, text: lines.filter((l) => !l.startsWith('{')), keys: [...new Set(server.output().match(KEY) ?? [])] };
}

async function organizations(url: string): Promise<number> {
  const database = openDatabase(url);
  try {
    return await countOrganizations(database.db);
  } finally {
    await database.close();
  }
}

/** the start line says where the data is, and never a password */
function expectStartLine(json: string[], database: RegExp) {
  const start = json.map((l) => JSON.parse(l)).find((e) => String(e.msg).startsWith('Handoff is running on'));
  expect(start).toMatchObject({ version: expect.stringMatching(/^\d+\.\d+\.\d+/), database: expect.stringMatching(database), eventStream: expect.stringMatching(/\/v1\/events\/stream$/) });
}

describe.skipIf(TEST_DB === 'postgres')('on SQLite', () => {
  it('the quick start on an empty SQLite file seeds the demo and prints its key once, as text, never in a JSON line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'handoff-quick-'));
    dirs.push(dir);
    const url = `sqlite:${join(dir, 'handoff.sqlite')}`;
    const run = await startAndStop(url, {});
    expect(await organizations(url)).toBe(1);
    expect(run.keys).toHaveLength(1);
    expect(run.text.filter((l) => l.includes(run.keys[0]))).toEqual([expect.stringMatching(/^Demo API key \(shown only now\): /), expect.stringMatching(/^ {2}curl /)]);
    expect(run.json.length).toBeGreaterThan(0);
    for (const line of run.json) expect(line).not.toMatch(/hk_/);
    expectStartLine(run.json, new RegExp(`^SQLite ${dir}/handoff\\.sqlite$`));
  });

  it('NODE_ENV=production on an empty SQLite file seeds nothing and prints no key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'handoff-prod-'));
    dirs.push(dir);
    const url = `sqlite:${join(dir, 'handoff.sqlite')}`;
    // LOG_LEVEL=warn, as production often runs: the start line is still written (it is waited for)
    const run = await startAndStop(url, { NODE_ENV: 'production', LOG_LEVEL: 'warn' });
    expect(await organizations(url)).toBe(0);
    expect(run.output).not.toMatch(/hk_|Demo API key/);
    // with nothing printed but JSON lines, a collector can read the whole output
    expect(run.text).toEqual([]);
    expectStartLine(run.json, new RegExp(`^SQLite ${dir}/handoff\\.sqlite$`));
  });
});

describe.skipIf(TEST_DB !== 'postgres')('on PostgreSQL', () => {
  const fresh = async (name: string) => {
    const d = await sharedDatabase(name);
    databases.push(d);
    return d;
  };

  it('a production start (NODE_ENV=production) on an empty database seeds nothing and logs no key', async () => {
    const d = await fresh('prodstart');
    const run = await startAndStop(d.url, { NODE_ENV: 'production' });
    expect(await countOrganizations(d.database.db)).toBe(0);
    expect(run.output).not.toMatch(/hk_|Demo API key/);
    expect(run.text).toEqual([]);
    // the start line names the database without the URL's password
    expectStartLine(run.json, /^PostgreSQL /);
    const password = new URL(d.url).password;
    if (password) expect(run.output).not.toContain(password);
  });

  it('PostgreSQL without NODE_ENV seeds nothing either', async () => {
    const d = await fresh('pgstart');
    const run = await startAndStop(d.url, {});
    expect(await countOrganizations(d.database.db)).toBe(0);
    expect(run.output).not.toMatch(/hk_/);
  });

  it('HANDOFF_DEMO=1 asks for the demo: seeded, its key printed once as text, in no JSON line', async () => {
    const d = await fresh('pgdemo');
    const run = await startAndStop(d.url, { NODE_ENV: 'production', HANDOFF_DEMO: '1' });
    expect(await countOrganizations(d.database.db)).toBe(1);
    expect(run.keys).toHaveLength(1);
    for (const line of run.json) expect(line).not.toMatch(/hk_/);
  });
});
