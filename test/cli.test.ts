// The `handoff` command end to end: each case spawns the real bin against one SQLite file and
// checks the result through the repositories in-process. Spawns cost ~1 s each (tsx start-up),
// so the cases share one database and run in order.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/database.ts';
import { sha256Hex } from '../src/lib/crypto.ts';
import { findActiveKeyByHash } from '../src/modules/api-keys/api-keys.repository.ts';
import { MIGRATION_NAMES } from '../src/db/migrate.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('handoff CLI', () => {
  let dir: string;
  let url: string;
  let database: Database | undefined;

  const handoff = (...args: string[]): Promise<Run> =>
    new Promise((done) => {
      const env = { ...process.env, DATABASE_URL: url, HANDOFF_DEMO: '0' };
      execFile('node', ['bin/handoff.js', ...args], { cwd: ROOT, env }, (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        done({ code, stdout, stderr });
      });
    });
  /** a successful --json run: exit 0, nothing on stderr, one JSON document on stdout */
  const json = async (...args: string[]) => {
    const r = await handoff(...args, '--json');
    expect(r, r.stderr).toMatchObject({ code: 0, stderr: '' });
    return JSON.parse(r.stdout);
  };
  // Opened after the first command has created the file, so the CLI migrates a fresh database.
  const db = () => (database ??= openDatabase(url)).db;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'handoff-cli-'));
    url = `sqlite:${join(dir, 'x.sqlite')}`;
  });
  afterAll(async () => {
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let orgId: number;
  let firstKey: string;

  it('migrate applies the migrations to a fresh database, then finds it up to date', async () => {
    expect(await json('migrate')).toEqual({ applied: MIGRATION_NAMES });
    const again = await handoff('migrate');
    expect(again).toMatchObject({ code: 0, stdout: 'The database is up to date.\n', stderr: '' });
  });

  it('org create --json prints {id, name, apiKey} and stores only the key hash', async () => {
    const org = await json('org', 'create', '--name', 'Acme', '--rate-limit', '50');
    expect(Object.keys(org)).toEqual(['id', 'name', 'apiKey']);
    expect(org).toMatchObject({ id: expect.any(Number), name: 'Acme', apiKey: expect.stringMatching(/^hk_[0-9a-f]{40}$/) });
    orgId = org.id;
    firstKey = org.apiKey;

    const rows = await db().selectFrom('api_keys').selectAll().where('organization_id', '=', orgId).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0].key_hash).toBe(sha256Hex(firstKey));
    expect(Object.values(rows[0])).not.toContain(firstKey);
    expect(await findActiveKeyByHash(db(), sha256Hex(firstKey))).toMatchObject({ organization_id: orgId, rate_limit_per_minute: 50 });
  });

  it('org create without --json prints a line with the key', async () => {
    const r = await handoff('org', 'create', '--name', 'Beta');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Organization \d+ "Beta" created\. API key \(shown only now\): hk_[0-9a-f]{40}\n$/);
  });

  let secondKey: { id: number; prefix: string; apiKey: string };

  it('key create prints {id, prefix, apiKey} and the key authenticates the organization', async () => {
    secondKey = await json('key', 'create', '--org', String(orgId), '--name', 'Ops');
    expect(Object.keys(secondKey)).toEqual(['id', 'prefix', 'apiKey']);
    expect(secondKey.prefix).toBe(secondKey.apiKey.slice(0, secondKey.prefix.length));
    expect(await findActiveKeyByHash(db(), sha256Hex(secondKey.apiKey))).toMatchObject({ id: secondKey.id, name: 'Ops', organization_id: orgId });
  });

  it('key revoke makes only that key unusable', async () => {
    expect(await json('key', 'revoke', '--org', String(orgId), '--id', String(secondKey.id))).toEqual({ id: secondKey.id, revoked: true });
    expect(await findActiveKeyByHash(db(), sha256Hex(secondKey.apiKey))).toBeUndefined();
    expect(await findActiveKeyByHash(db(), sha256Hex(firstKey))).toBeDefined();
  });

  let departmentId: number;
  let agentId: number;

  it('department create prints {id, name}', async () => {
    const department = await json('department', 'create', '--org', String(orgId), '--name', 'Sales');
    expect(department).toEqual({ id: expect.any(Number), name: 'Sales' });
    departmentId = department.id;
  });

  it('agent create prints the agent, member of --department', async () => {
    const agent = await json('agent', 'create', '--org', String(orgId), '--name', 'Bob', '--email', 'bob@example.test', '--role', 'agent', '--department', String(departmentId));
    expect(agent).toEqual({ id: expect.any(Number), name: 'Bob', email: 'bob@example.test', role: 'agent', status: expect.any(String), active: true, departments: [departmentId] });
    agentId = agent.id;
  });

  it('agent create with an invalid role exits 1 naming the role', async () => {
    const r = await handoff('agent', 'create', '--org', String(orgId), '--name', 'Eve', '--email', 'eve@example.test', '--role', 'boss', '--json');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^ {2}role: /m);
    expect(r.stderr).not.toMatch(/^\s+at /m); // no stack trace
    const eve = await db().selectFrom('agents').select('id').where('email', '=', 'eve@example.test').executeTakeFirst();
    expect(eve).toBeUndefined();
  });

  it('agent deactivate prints the agent, now inactive', async () => {
    const agent = await json('agent', 'deactivate', '--org', String(orgId), '--id', String(agentId));
    expect(agent).toMatchObject({ id: agentId, active: false });
    const row = await db().selectFrom('agents').select('active').where('id', '=', agentId).executeTakeFirstOrThrow();
    expect(row.active).toBe(0);
  });

  it('demo seeds an organization and prints {orgId, apiKey, agentIds, chatIds}', async () => {
    const demo = await json('demo');
    expect(Object.keys(demo)).toEqual(['orgId', 'apiKey', 'agentIds', 'chatIds']);
    expect(demo.agentIds).toHaveLength(3);
    expect(demo.chatIds).toHaveLength(10);
    expect(await findActiveKeyByHash(db(), sha256Hex(demo.apiKey))).toMatchObject({ organization_id: demo.orgId });
    const chats = await db().selectFrom('chats').select('id').where('organization_id', '=', demo.orgId).execute();
    expect(chats.map((c) => c.id).sort((a, b) => a - b)).toEqual(demo.chatIds);
  });

  it('a missing flag exits 2 naming the flag and the usage', async () => {
    const r = await handoff('key', 'create', '--json');
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toContain('Missing --org. Usage: handoff key create --org ID [--name NAME]');
  });

  it('an id that is not a positive whole number exits 2', async () => {
    const r = await handoff('agent', 'deactivate', '--org', String(orgId), '--id', '1.5');
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toContain('--id must be a whole number');
  });

  it('an unknown command exits 2 and points to help', async () => {
    const r = await handoff('frobnicate');
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toContain('Unknown command "frobnicate"');
    expect(r.stderr).toContain('handoff help');
  });

  it('an unknown organization exits 1 with how to create one', async () => {
    const r = await handoff('key', 'create', '--org', '999999');
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toBe('Organization 999999 not found. Create one with: handoff org create --name NAME\n');
  });

  it('--help lists every command', async () => {
    const r = await handoff('--help');
    expect(r.code).toBe(0);
    for (const name of ['serve', 'migrate', 'org create', 'key create', 'key revoke', 'agent create', 'agent deactivate', 'department create', 'demo']) {
      expect(r.stdout).toContain(`handoff ${name}`);
    }
  });
});
