// `handoff org list|show`, `handoff key list` and `--help` of every command, in-process on the
// test's database (both databases; test/helpers/cli.ts). Requests through the app show what
// `key list` says of a key's last use. One spawn shows the bin reaching the database
// DATABASE_URL names on either kind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/cli-commands.ts';
import { sha256Hex } from '../src/lib/crypto.ts';
import { touchApiKey } from '../src/modules/api-keys/api-keys.repository.ts';
import { buildTestApp, client, sharedDatabase, T0, type TestApp } from './helpers/app.ts';
import { cliOn, expectJson, spawnHandoff } from './helpers/cli.ts';

let t: TestApp;
let cli: ReturnType<typeof cliOn>;

beforeAll(async () => {
  t = await buildTestApp();
  cli = cliOn(t.database);
});
afterAll(() => t.close());

const applicationOf = async (orgId: number) =>
  (await t.database.db.selectFrom('applications').select('id').where('organization_id', '=', orgId).orderBy('id').executeTakeFirstOrThrow()).id;
const keyRows = (orgId: number) => t.database.db.selectFrom('api_keys').selectAll().where('organization_id', '=', orgId).orderBy('id').execute();

describe('org list', () => {
  it('says how to start when there is no organization yet', async () => {
    expect(await cli.json(['org', 'list'])).toEqual([]);
    expect(await cli.run(['org', 'list'])).toEqual({ code: 0, stdout: 'No organizations yet. Create one with: handoff org create --name NAME\n', stderr: '' });
  });

  it('lists every organization with its default application and no secret', async () => {
    const acme = await cli.json(['org', 'create', '--name', 'Acme', '--rate-limit', '50']);
    const beta = await cli.json(['org', 'create', '--name', 'Beta Shop', '--domain', 'beta.test']);
    const list = await cli.json(['org', 'list']);
    expect(list).toEqual([
      { id: acme.id, name: 'Acme', domain: 'acme', applicationId: await applicationOf(acme.id), rateLimitPerMinute: 50 },
      { id: beta.id, name: 'Beta Shop', domain: 'beta.test', applicationId: await applicationOf(beta.id), rateLimitPerMinute: null },
    ]);
    expect(list.map(Object.keys)).toEqual([0, 1].map(() => ['id', 'name', 'domain', 'applicationId', 'rateLimitPerMinute']));
    expect(list[0].applicationId).toBe(acme.applicationId);

    const human = await cli.run(['org', 'list']);
    const [a, b] = [String(acme.id), String(beta.id)];
    const w = Math.max(2, a.length, b.length);
    const aw = Math.max('APPLICATION'.length, String(list[1].applicationId).length);
    expect(human.stdout).toBe(
      [
        `${'ID'.padEnd(w)}  NAME       DOMAIN     ${'APPLICATION'.padEnd(aw)}  RATE LIMIT`,
        `${a.padEnd(w)}  Acme       acme       ${String(list[0].applicationId).padEnd(aw)}  50/min`,
        `${b.padEnd(w)}  Beta Shop  beta.test  ${String(list[1].applicationId).padEnd(aw)}  server default`,
        '',
      ].join('\n'),
    );
    // the signing keys stay with org show
    const keys = await t.database.db.selectFrom('organizations').select('webhook_signing_key').execute();
    for (const { webhook_signing_key } of keys) expect(human.stdout + JSON.stringify(list)).not.toContain(webhook_signing_key);
  });
});

describe('key list', () => {
  it('lists every key: id, name, prefix, created, last used, revoked; never the key or its hash', async () => {
    const org = await cli.json(['org', 'create', '--name', 'Keyed']);
    const ops = await cli.json(['key', 'create', '--org', String(org.id), '--name', 'Ops']);
    await cli.json(['key', 'revoke', '--org', String(org.id), '--id', String(ops.id)]);
    // a request with the first key: authentication records when (the app's clock: T0)
    expect((await client(t.app, org.apiKey).get('/v1/organization')).status).toBe(200);

    const [first, second] = await keyRows(org.id);
    expect(first.last_used_at).toBe(T0);
    const list = await cli.json(['key', 'list', '--org', String(org.id)]);
    expect(list).toEqual([
      { id: first.id, name: `API key ${first.prefix}`, prefix: first.prefix, createdAt: String(first.created_at), lastUsedAt: String(T0), revokedAt: null },
      { id: ops.id, name: 'Ops', prefix: ops.prefix, createdAt: String(second.created_at), lastUsedAt: null, revokedAt: String(second.revoked_at) },
    ]);
    expect(list.map(Object.keys)).toEqual([0, 1].map(() => ['id', 'name', 'prefix', 'createdAt', 'lastUsedAt', 'revokedAt']));
    expect(first.prefix).toBe(org.apiKey.slice(0, first.prefix.length));

    const human = await cli.run(['key', 'list', '--org', String(org.id)]);
    expect(human.code).toBe(0);
    const lines = human.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^ID +NAME +PREFIX +CREATED +LAST USED +REVOKED$/);
    expect(lines[1]).toMatch(new RegExp(`^${first.id} +API key ${first.prefix} +${first.prefix}… +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC +2023-11-14 22:13 UTC +-$`));
    expect(lines[2]).toMatch(new RegExp(`^${ops.id} +Ops +${ops.prefix}… +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC +never +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC$`));
    for (const secret of [org.apiKey, ops.apiKey, sha256Hex(org.apiKey), sha256Hex(ops.apiKey)]) {
      expect(human.stdout + JSON.stringify(list)).not.toContain(secret);
    }
  });

  it('last use is written at most once a minute per key', async () => {
    const org = await cli.json(['org', 'create', '--name', 'Touched']);
    const [key] = await keyRows(org.id);
    const touch = (at: number) => t.database.write((trx) => touchApiKey(trx, org.id, key.id, at));
    const lastUsed = async () => (await keyRows(org.id))[0].last_used_at;
    await touch(T0);
    await touch(T0 + 59);
    expect(await lastUsed()).toBe(T0);
    await touch(T0 + 60);
    expect(await lastUsed()).toBe(T0 + 60);
    await touch(T0 + 30); // an instance with an older clock never moves it back
    expect(await lastUsed()).toBe(T0 + 60);
  });

  it('an organization without keys, an unknown one, and a missing --org', async () => {
    const org = await cli.json(['org', 'create', '--name', 'Keyless']);
    const [key] = await keyRows(org.id);
    await t.database.write((trx) => trx.deleteFrom('api_keys').where('id', '=', key.id).execute());
    expect(await cli.run(['key', 'list', '--org', String(org.id)])).toEqual({
      code: 0,
      stdout: `Organization ${org.id} has no API keys. Create one with: handoff key create --org ${org.id}\n`,
      stderr: '',
    });
    expect(await cli.run(['key', 'list', '--org', '999999', '--json'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Organization 999999 not found. List them with: handoff org list; create one with: handoff org create --name NAME\n',
    });
    expect(await cli.run(['key', 'list'])).toEqual({ code: 2, stdout: '', stderr: 'Missing --org. Usage: handoff key list --org ID\n' });
  });
});

describe('the bin', () => {
  it('finds the database DATABASE_URL names, as the server does (a file, or PostgreSQL)', async () => {
    const shared = await sharedDatabase('cli');
    try {
      const org = await cliOn(shared.database).json(['org', 'create', '--name', 'Shared']);
      const shown = expectJson(await spawnHandoff(['org', 'show', '--org', String(org.id), '--json'], { env: { DATABASE_URL: shared.url } }));
      expect(shown).toEqual(await cliOn(shared.database).json(['org', 'show', '--org', String(org.id)]));
      expect(shown).toMatchObject({ id: org.id, name: 'Shared', applicationId: org.applicationId });
    } finally {
      await shared.database.close();
      await shared.drop();
    }
  });
});

describe('--help', () => {
  it('every command: its usage with every flag, its summary, and what --json does', async () => {
    for (const c of COMMANDS) {
      const words = c.name.split(' ');
      const r = await cli.run([...words, '--help']);
      expect(r, c.name).toMatchObject({ code: 0, stderr: '' });
      expect(r.stdout, c.name).toMatch(new RegExp(`^Usage:\\n {2}handoff ${c.name}( |\\n)`));
      for (const flag of Object.keys(c.flags)) expect(r.stdout.split('\n')[1], `${c.name} --${flag}`).toMatch(new RegExp(`[ []--${flag} `));
      expect(r.stdout, c.name).toContain(c.summary);
      expect(r.stdout, c.name).toContain('--json');
      expect(await cli.run(['help', ...words]), c.name).toEqual(r);
    }
  });

  it('the flags of the new commands, spelled out', async () => {
    const usage = async (...words: string[]) => (await cli.json([...words, '--help'])).commands[0].usage;
    expect(await usage('org', 'list')).toBe('handoff org list');
    expect(await usage('key', 'list')).toBe('handoff key list --org ID');
    expect(await usage('agent', 'list')).toBe('handoff agent list --org ID');
    expect(await usage('agent', 'reactivate')).toBe('handoff agent reactivate --org ID --id AGENT_ID');
    expect(await usage('agent', 'update')).toBe(
      'handoff agent update --org ID --id AGENT_ID [--role admin|superviser|agent|agentChatOnly] [--department ID,ID…|none] [--capacity N|none]',
    );
    expect(await usage('department', 'list')).toBe('handoff department list --org ID');
    expect(await usage('department', 'add-agent')).toBe('handoff department add-agent --org ID --department DEPARTMENT_ID --agent AGENT_ID');
    expect(await usage('department', 'remove-agent')).toBe('handoff department remove-agent --org ID --department DEPARTMENT_ID --agent AGENT_ID');
    expect(await usage('webhook', 'pause')).toBe('handoff webhook pause --org ID --id WEBHOOK_ID');
    expect(await usage('webhook', 'resume')).toBe('handoff webhook resume --org ID --id WEBHOOK_ID');
  });

  it('a command that only reads says it creates no database', async () => {
    expect((await cli.run(['org', 'list', '--help'])).stdout).toContain('It only reads: a SQLite database file that does not exist is reported, not created.');
    expect((await cli.run(['org', 'create', '--help'])).stdout).not.toContain('It only reads');
  });

  it('handoff, handoff help and handoff --help list every command; --json gives them as a document', async () => {
    const all = await cli.run(['help']);
    expect(all).toMatchObject({ code: 0, stderr: '' });
    for (const c of COMMANDS) expect(all.stdout).toContain(`  handoff ${c.name}`);
    expect(all.stdout).toContain('DATABASE_URL');
    expect(await cli.run(['--help'])).toEqual(all);
    expect(await cli.run([])).toEqual(all);
    const doc = await cli.json(['help']);
    expect(doc.commands.map((c: { command: string }) => c.command)).toEqual(COMMANDS.map((c) => c.name));
    expect(Object.keys(doc.commands[0])).toEqual(['command', 'usage', 'summary']);
  });
});
