// The `handoff` commands end to end through the real command table and runner, in-process on the
// test's database (both databases: each command's effect is checked through the repositories).
// The cases share one database and run in order. What needs the real bin in a process (a fresh
// file, DATABASE_URL, exit codes as a shell sees them) is in cli-process.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.ts';
import { sha256Hex } from '../src/lib/crypto.ts';
import { findActiveKeyByHash } from '../src/modules/api-keys/api-keys.repository.ts';
import { systemClock } from '../src/lib/clock.ts';
import { verifyPassword } from '../src/lib/password.ts';
import { startSession } from '../src/modules/sessions/sessions.service.ts';
import { freshDatabase, type TestDatabase } from './helpers/app.ts';
import { cliOn } from './helpers/cli.ts';
import { factories } from './helpers/factories.ts';
import { ROOT } from './helpers/process.ts';

describe('handoff CLI', () => {
  let fresh: TestDatabase;
  let database: Database;
  let cli: ReturnType<typeof cliOn>;
  const handoff = (...args: string[]) => cli.run(args);
  const json = (...args: string[]) => cli.json(args);
  const db = () => database.db;

  beforeAll(async () => {
    fresh = await freshDatabase();
    database = fresh.database;
    cli = cliOn(database);
  });
  afterAll(async () => {
    await database.close();
    await fresh.drop();
  });

  let orgId: number;
  let firstKey: string;

  it('migrate finds a migrated database up to date', async () => {
    expect(await json('migrate')).toEqual({ applied: [] });
    expect(await handoff('migrate')).toEqual({ code: 0, stdout: 'The database is up to date.\n', stderr: '' });
  });

  it('org create --json prints {id, name, applicationId, apiKey} and stores only the key hash', async () => {
    const org = await json('org', 'create', '--name', 'Acme', '--rate-limit', '50');
    expect(Object.keys(org)).toEqual(['id', 'name', 'applicationId', 'apiKey']);
    const application = await db().selectFrom('applications').select('id').where('organization_id', '=', org.id).executeTakeFirstOrThrow();
    expect(org).toEqual({ id: expect.any(Number), name: 'Acme', applicationId: application.id, apiKey: expect.stringMatching(/^hk_[0-9a-f]{40}$/) });
    orgId = org.id;
    firstKey = org.apiKey;

    const rows = await db().selectFrom('api_keys').selectAll().where('organization_id', '=', orgId).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0].key_hash).toBe(sha256Hex(firstKey));
    expect(Object.values(rows[0])).not.toContain(firstKey);
    expect(await findActiveKeyByHash(db(), sha256Hex(firstKey))).toMatchObject({ organization_id: orgId, rate_limit_per_minute: 50 });
  });

  it('org create without --json prints a line with the application and the key', async () => {
    const r = await handoff('org', 'create', '--name', 'Beta');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Organization \d+ "Beta" created with application \d+ \(the "application" of POST \/v1\/chats\)\. API key \(shown only now\): hk_[0-9a-f]{40}\n$/);
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
    expect(agent).toEqual({ id: expect.any(Number), name: 'Bob', email: 'bob@example.test', role: 'agent', status: 'offline', active: true, departments: [departmentId], capacity: null });
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

  it('agent password without --password prints a generated one that verifies; --json gives the Agent beside it', async () => {
    const r = await json('agent', 'password', '--org', String(orgId), '--id', String(agentId));
    expect(Object.keys(r)).toEqual(['agent', 'generatedPassword', 'sessionsEnded']);
    expect(r.agent).toMatchObject({ id: agentId, name: 'Bob', email: 'bob@example.test' });
    expect(r.generatedPassword).toMatch(/^[\w-]{20}$/);
    expect(r.sessionsEnded).toBe(0);
    const row = await db().selectFrom('agents').select('password_hash').where('id', '=', agentId).executeTakeFirstOrThrow();
    expect(await verifyPassword(r.generatedPassword, row.password_hash!)).toBe(true);
  });

  it('agent password --password sets that one, never echoes it, and ends the agent\'s open sessions', async () => {
    const open = await startSession(database, systemClock, { orgId, agentId, address: '127.0.0.1', userAgent: 'cli test' });
    const r = await handoff('agent', 'password', '--org', String(orgId), '--id', String(agentId), '--password', 'correct horse battery staple');
    expect(r).toEqual({
      code: 0,
      stdout: `Password of agent ${agentId} "Bob" of organization ${orgId} set; 1 open session ended.\nSign in to the inbox as bob@example.test with that password.\n`,
      stderr: '',
    });
    const row = await db().selectFrom('agents').select('password_hash').where('id', '=', agentId).executeTakeFirstOrThrow();
    expect(await verifyPassword('correct horse battery staple', row.password_hash!)).toBe(true);
    const session = await db().selectFrom('agent_sessions').select('revoked_at').where('id', '=', open.id).executeTakeFirstOrThrow();
    expect(session.revoked_at).not.toBeNull();
  });

  it('agent password refuses a short password and an unknown agent, saying what to do, and changes nothing', async () => {
    const before = await db().selectFrom('agents').select('password_hash').where('id', '=', agentId).executeTakeFirstOrThrow();
    const short = await handoff('agent', 'password', '--org', String(orgId), '--id', String(agentId), '--password', 'short');
    expect(short).toMatchObject({ code: 1, stdout: '' });
    expect(short.stderr).toContain('  password: This value is too short. It should have 8 characters or more.');
    expect(short.stderr).toContain('Usage: handoff agent password --org ID --id AGENT_ID [--password PASSWORD]');
    const unknown = await handoff('agent', 'password', '--org', String(orgId), '--id', '999999', '--password', 'long enough password');
    expect(unknown).toEqual({ code: 1, stdout: '', stderr: 'Agent 999999 not found. Check --id and --org: the agent must belong to that organization (handoff agent list --org ID).\n' });
    expect(await db().selectFrom('agents').select('password_hash').where('id', '=', agentId).executeTakeFirstOrThrow()).toEqual(before);
  });

  const DEFAULTS = { strategy: 'manual', capacity: null, onlineOnly: true, sticky: false, reassignAfterMinutes: null, offlineGraceMinutes: 5 };
  const statusEvents = () =>
    db().selectFrom('outbox').select('event_data').where('organization_id', '=', orgId).where('event', '=', 'agent.status_updated').orderBy('id').execute();

  it('agent status sets the presence as PUT /v1/agents/{id}/status does: the Agent, one event; the same again writes none', async () => {
    const agent = await json('agent', 'status', '--org', String(orgId), '--id', String(agentId), '--status', 'online');
    expect(agent).toEqual({ id: agentId, name: 'Bob', email: 'bob@example.test', role: 'agent', status: 'online', active: true, departments: [departmentId], capacity: null });
    expect((await statusEvents()).map((e) => JSON.parse(e.event_data))).toEqual([{ agent }]);
    const again = await handoff('agent', 'status', '--org', String(orgId), '--id', String(agentId), '--status', 'online');
    expect(again).toEqual({ code: 0, stdout: `Agent ${agentId} "Bob" of organization ${orgId} is online.\n`, stderr: '' });
    expect(await statusEvents()).toHaveLength(1);
  });

  it('agent status with an unknown presence exits 1 naming status; an unknown agent exits 1', async () => {
    const r = await handoff('agent', 'status', '--org', String(orgId), '--id', String(agentId), '--status', 'busy');
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toContain('  status: The value you selected is not a valid choice.');
    const unknown = await handoff('agent', 'status', '--org', String(orgId), '--id', '999999', '--status', 'away');
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toContain('Agent 999999 not found.');
  });

  it("agent capacity sets the agent's own capacity, none goes back to the policy's", async () => {
    expect(await json('agent', 'capacity', '--org', String(orgId), '--id', String(agentId), '--capacity', '3')).toMatchObject({ id: agentId, capacity: 3 });
    expect((await db().selectFrom('agents').select('capacity').where('id', '=', agentId).executeTakeFirstOrThrow()).capacity).toBe(3);
    const cleared = await handoff('agent', 'capacity', '--org', String(orgId), '--id', String(agentId), '--capacity', 'none');
    expect(cleared).toEqual({ code: 0, stdout: `Agent ${agentId} "Bob" of organization ${orgId} takes as many open chats as the routing policy's capacity allows.\n`, stderr: '' });
    const bad = await handoff('agent', 'capacity', '--org', String(orgId), '--id', String(agentId), '--capacity', '0');
    expect(bad).toMatchObject({ code: 1, stdout: '' });
    expect(bad.stderr).toContain('  capacity: This value should be positive.');
  });

  it('routing show prints the policy as GET /v1/organization/routing answers it; routing set changes only the flags given', async () => {
    expect(await json('routing', 'show', '--org', String(orgId))).toEqual(DEFAULTS);
    const set = await json('routing', 'set', '--org', String(orgId), '--strategy', 'round_robin', '--capacity', '4', '--online-only', 'false', '--reassign-after', '10');
    const policy = { ...DEFAULTS, strategy: 'round_robin', capacity: 4, onlineOnly: false, reassignAfterMinutes: 10 };
    expect(set).toEqual(policy);
    expect(Object.keys(set)).toEqual(Object.keys(DEFAULTS));
    expect(await json('routing', 'set', '--org', String(orgId), '--reassign-after', 'none', '--offline-grace', '2')).toEqual({ ...policy, reassignAfterMinutes: null, offlineGraceMinutes: 2 });
    expect(await json('routing', 'show', '--org', String(orgId))).toEqual({ ...policy, reassignAfterMinutes: null, offlineGraceMinutes: 2 });
  });

  it('a department inherits the organization\'s policy until routing set gives it its own', async () => {
    const org = { ...DEFAULTS, strategy: 'round_robin', capacity: 4, onlineOnly: false, offlineGraceMinutes: 2 };
    expect(await json('routing', 'show', '--org', String(orgId), '--department', String(departmentId))).toEqual(org);
    const shown = await handoff('routing', 'show', '--org', String(orgId), '--department', String(departmentId));
    expect(shown.code).toBe(0);
    expect(shown.stdout).toBe(
      [
        `Routing policy of department ${departmentId} of organization ${orgId} (inherited from the organization's):`,
        '  strategy        round_robin',
        '  capacity        4 open chats per agent',
        '  online only     no',
        '  sticky          no',
        '  reassign after  never',
        '  offline grace   2 minutes',
        '',
      ].join('\n'),
    );
    const own = await handoff('routing', 'set', '--org', String(orgId), '--department', String(departmentId), '--sticky', 'true', '--capacity', 'none');
    expect(own.code).toBe(0);
    expect(own.stdout).toContain(`Routing policy of department ${departmentId} of organization ${orgId} (its own):`);
    expect(own.stdout).toContain('  sticky          yes');
    expect(own.stdout).toContain('  capacity        unlimited');
    const rows = await db().selectFrom('routing_policies').select('department_id').where('organization_id', '=', orgId).orderBy('department_id').execute();
    expect(rows.map((r) => r.department_id)).toEqual([0, departmentId]);
  });

  it('routing set names every bad flag and stores nothing; no flag to set exits 2; an unknown department exits 1', async () => {
    const before = await db().selectFrom('routing_policies').selectAll().where('organization_id', '=', orgId).orderBy('department_id').execute();
    const r = await handoff('routing', 'set', '--org', String(orgId), '--strategy', 'fifo', '--online-only', 'maybe', '--offline-grace=-1', '--json');
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toContain('  strategy: The value you selected is not a valid choice.');
    expect(r.stderr).toContain('  online-only: This value should be of type boolean.');
    expect(r.stderr).toContain('  offline-grace: This value should be either positive or zero.');
    expect(await db().selectFrom('routing_policies').selectAll().where('organization_id', '=', orgId).orderBy('department_id').execute()).toEqual(before);

    const nothing = await handoff('routing', 'set', '--org', String(orgId));
    expect(nothing).toMatchObject({ code: 2, stdout: '' });
    expect(nothing.stderr).toContain('Nothing to set.');

    const unknown = await handoff('routing', 'show', '--org', String(orgId), '--department', '999999');
    expect(unknown).toEqual({ code: 1, stdout: '', stderr: 'Department 999999 not found. Check --department and --org: the department must belong to that organization (handoff department list --org ID).\n' });
  });

  it('agent deactivate prints the agent, now inactive, and how many of their chats routing will give to others', async () => {
    // an open chat of Bob's that nobody answered yet, under the organization's routing policy
    const application = await db().selectFrom('applications').select('id').where('organization_id', '=', orgId).executeTakeFirstOrThrow();
    await factories(database, systemClock).chat(orgId, { applicationId: application.id, assignee: agentId });

    const agent = await json('agent', 'deactivate', '--org', String(orgId), '--id', String(agentId));
    expect(agent).toMatchObject({ id: agentId, active: false, chatsToRelease: 1 });
    expect(Object.keys(agent)).toEqual(['id', 'name', 'email', 'role', 'status', 'active', 'departments', 'capacity', 'chatsToRelease']);
    const row = await db().selectFrom('agents').select('active').where('id', '=', agentId).executeTakeFirstOrThrow();
    expect(row.active).toBe(0);
    const grace = await db().selectFrom('routing_jobs').select(['kind', 'due_at', 'created_at']).where('agent_id', '=', agentId).execute();
    expect(grace).toHaveLength(1);
    expect(grace[0].kind).toBe('offline_grace');
    expect(Number(grace[0].due_at) - Number(grace[0].created_at)).toBe(2 * 60); // the organization's offlineGraceMinutes

    const again = await handoff('agent', 'deactivate', '--org', String(orgId), '--id', String(agentId));
    expect(again).toEqual({
      code: 0,
      stdout: `Agent ${agentId} "Bob" of organization ${orgId} deactivated; chats can no longer be assigned to them. 1 unanswered chat of theirs will be routed to other agents when the offline grace ends.\n`,
      stderr: '',
    });
    expect(await db().selectFrom('routing_jobs').select(['due_at', 'created_at']).where('agent_id', '=', agentId).execute()).toEqual(
      grace.map(({ due_at, created_at }) => ({ due_at, created_at })),
    ); // deactivating again does not restart the timer
  });

  it('demo seeds an organization and prints {orgId, apiKey, agentIds, chatIds, signIns}', async () => {
    const demo = await json('demo');
    expect(Object.keys(demo)).toEqual(['orgId', 'apiKey', 'agentIds', 'chatIds', 'signIns']);
    expect(demo.signIns.map((s: { email: string }) => s.email)).toEqual(['alice@demo.handoff.local', 'bob@demo.handoff.local']);
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

  it('an unknown organization exits 1 with how to find or create one', async () => {
    const r = await handoff('key', 'create', '--org', '999999');
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toBe('Organization 999999 not found. List them with: handoff org list; create one with: handoff org create --name NAME\n');
  });

  it('--version prints the version package.json gives, as text or JSON', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(await handoff('--version')).toEqual({ code: 0, stdout: `handoff ${version}\n`, stderr: '' });
    expect(await json('--version')).toEqual({ version });
  });

  it('--help lists every command', async () => {
    const r = await handoff('--help');
    expect(r.code).toBe(0);
    const names = ['serve', 'migrate', 'org create', 'key create', 'key revoke', 'agent create', 'agent deactivate', 'agent status', 'agent capacity', 'agent password'];
    for (const name of [...names, 'department create', 'routing show', 'routing set', 'demo']) {
      expect(r.stdout).toContain(`handoff ${name}`);
    }
  });
});
