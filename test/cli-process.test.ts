// The `handoff` bin as a shell runs it (SQLite only: it is about files and directories): which
// database it finds (DATABASE_URL, or ./data/handoff.sqlite in the current directory, as the
// server), that a command that only reads never creates one, and exit codes as a process sees
// them. Each spawn costs seconds, so they are few; the rest runs the real runner in-process.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/cli-commands.ts';
import { runCli } from '../src/cli-run.ts';
import { MIGRATION_NAMES } from '../src/db/migrate.ts';
import { expectJson, spawnHandoff, type CliRun } from './helpers/cli.ts';
import { ROOT } from './helpers/process.ts';

const dirs: string[] = [];
const emptyDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'handoff-cli-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** the real runner and session in this process, on whatever DATABASE_URL says (no test database) */
async function runWith(env: Record<string, string>, args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, COMMANDS, { env: { HANDOFF_DEMO: '0', ...env }, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

describe('which database the CLI uses', () => {
  it('without DATABASE_URL, ./data/handoff.sqlite of the current directory, as the server: a write creates it, a read finds it', async () => {
    const dir = emptyDir();
    const here = { cwd: dir, env: { DATABASE_URL: undefined } };
    const created = expectJson(await spawnHandoff(['org', 'create', '--name', 'Here', '--json'], here));
    expect(existsSync(join(dir, 'data', 'handoff.sqlite'))).toBe(true);
    const list = expectJson(await spawnHandoff(['org', 'list', '--json'], here));
    expect(list).toEqual([{ id: created.id, name: 'Here', domain: 'here', applicationId: created.applicationId, rateLimitPerMinute: null }]);
  });

  it('a command that only reads, run where there is no database, exits 1 saying what to do, and creates nothing', async () => {
    const dir = emptyDir();
    const r = await spawnHandoff(['org', 'list', '--json'], { cwd: dir, env: { DATABASE_URL: undefined } });
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr: [
        `No database at ${join(dir, 'data', 'handoff.sqlite')}: DATABASE_URL is not set, so the CLI looks for sqlite:./data/handoff.sqlite in the current directory (${dir}), as the server does. Nothing was created.`,
        "Run the command from the directory the server runs in, or set DATABASE_URL to the server's database,",
        'e.g. DATABASE_URL=sqlite:/srv/handoff/data/handoff.sqlite npx handoff org list (see README, Configuration).',
        '',
      ].join('\n'),
    });
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });

  it('every command that only reads refuses a DATABASE_URL file that does not exist; one that writes creates and migrates it', async () => {
    const dir = emptyDir();
    const path = join(dir, 'nested', 'handoff.sqlite');
    const env = { DATABASE_URL: `sqlite:${path}` };
    const reading = COMMANDS.filter((c) => c.readOnly);
    expect(reading.map((c) => c.name).sort()).toEqual(
      ['agent list', 'department list', 'key list', 'org list', 'org show', 'routing show', 'webhook list'].sort(),
    );
    for (const c of reading) {
      const flags = Object.entries(c.flags).flatMap(([name, spec]) => (spec.required ? [`--${name}`, '1'] : []));
      const r = await runWith(env, [...c.name.split(' '), ...flags]);
      expect(r, c.name).toMatchObject({ code: 1, stdout: '' });
      expect(r.stderr, c.name).toMatch(new RegExp(`^No database at ${path}: DATABASE_URL=sqlite:${path} names it \\(a relative path is resolved from the current directory, .*\\)\\. Nothing was created\\.\\n`));
      expect(existsSync(join(dir, 'nested')), c.name).toBe(false);
    }
    const org = expectJson(await runWith(env, ['org', 'create', '--name', 'Created', '--json']));
    expect(existsSync(path)).toBe(true);
    expect(expectJson(await runWith(env, ['org', 'show', '--org', String(org.id), '--json']))).toMatchObject({ id: org.id, applicationId: org.applicationId });
    expect(expectJson(await runWith(env, ['migrate', '--json']))).toEqual({ applied: [] });
  });

  it('migrate applies every migration to a fresh file', async () => {
    const path = join(emptyDir(), 'x.sqlite');
    expect(expectJson(await spawnHandoff(['migrate', '--json'], { env: { DATABASE_URL: `sqlite:${path}` } }))).toEqual({ applied: MIGRATION_NAMES });
  });
});

describe('the process', () => {
  it('a mistake on the command line exits 2 with the usage on stderr, nothing on stdout', async () => {
    const r = await spawnHandoff(['agent', 'update', '--org', '1', '--json']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'Missing --id. Usage: handoff agent update --org ID --id AGENT_ID [--role admin|superviser|agent|agentChatOnly] [--department ID,ID…|none] [--capacity N|none]\n' });
  });

  it('--version prints the version package.json gives, as text or JSON', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(await spawnHandoff(['--version'])).toEqual({ code: 0, stdout: `handoff ${version}\n`, stderr: '' });
    expect(expectJson(await runWith({}, ['--version', '--json']))).toEqual({ version });
  });
});
