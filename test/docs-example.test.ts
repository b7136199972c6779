// The README's deployment example (docs/examples/two-instances.sh) runs as written, on a
// database and ports of its own, when PostgreSQL and Redis are available.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { adminQuery, TEST_DB } from './helpers/app.ts';
import { ROOT } from './helpers/process.ts';

const run = promisify(execFile);
const PG = process.env.TEST_DATABASE_URL;
const REDIS = process.env.TEST_REDIS_URL;
const enabled = TEST_DB === 'postgres' && !!PG && !!REDIS;
const dbName = `handoff_docs_${process.pid}`;

afterAll(async () => {
  if (!enabled) return;
  await adminQuery(PG!, `drop database if exists ${dbName} with (force)`);
});

it.skipIf(!enabled)('two instances on one PostgreSQL and Redis: assigned on A, seen on B, one rate limit', async () => {
  const server = PG!.replace(/\/[^/?]*(\?.*)?$/, '');
  const port = 20_000 + (process.pid % 20_000);
  const { stdout } = await run('bash', ['docs/examples/two-instances.sh'], {
    cwd: ROOT,
    env: { ...process.env, POSTGRES: server, DB_NAME: dbName, REDIS_URL: REDIS!, PORT_A: String(port), PORT_B: String(port + 1) },
    timeout: 120_000,
  });
  expect(stdout).toMatch(/chat \d+ is assigned to agent \d+ on both instances/);
  const remaining = [...stdout.matchAll(/ratelimit-remaining: (\d+)/gi)].map((m) => Number(m[1]));
  expect(remaining).toHaveLength(2);
  expect(remaining[1]).toBe(remaining[0] - 1); // B counted after A, in the same window
  expect(stdout).toContain('done');
}, 150_000);
