// Running the `handoff` command in tests, two ways: in-process against the test's database (the
// real command table and runner, cli-run.ts: fast, and on both databases), or as the real bin in
// a child process (the launcher, DATABASE_URL and the current directory, exit codes). A spawn
// costs seconds (TypeScript compiles at start), so the suites spawn only for what needs a process.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';
import { COMMANDS } from '../../src/cli-commands.ts';
import { runCli } from '../../src/cli-run.ts';
import type { Database } from '../../src/db/database.ts';
import { ROOT } from './process.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** the variables every run gets unless a test says otherwise: no demo, no private webhook URLs */
const QUIET = { HANDOFF_DEMO: '0', WEBHOOK_ALLOW_PRIVATE: '' };

/** a successful --json run: exit 0, nothing on stderr, exactly one JSON document on stdout */
export function expectJson(r: CliRun): any {
  expect(r, r.stderr).toMatchObject({ code: 0, stderr: '' });
  return JSON.parse(r.stdout);
}

/**
 * The command table in this process, on `database` (not closed by it). `env` is what the run
 * reads as its environment (WEBHOOK_ALLOW_PRIVATE…); DATABASE_URL is ignored for `database`.
 */
export function cliOn(database: Database, env: Record<string, string> = {}) {
  const run = async (args: string[], more: Record<string, string> = {}): Promise<CliRun> => {
    let stdout = '';
    let stderr = '';
    const context = { env: { ...QUIET, ...env, ...more }, database, stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t) };
    const code = await runCli(args, COMMANDS, context);
    return { code, stdout, stderr };
  };
  return {
    run,
    /** `args` with --json, expected to succeed: the document */
    json: async (args: string[], more?: Record<string, string>) => expectJson(await run([...args, '--json'], more)),
  };
}

/** The real bin (`node bin/handoff.js`) in a child process, from `cwd` (default: the repository). */
export function spawnHandoff(args: string[], opts: { env?: Record<string, string | undefined>; cwd?: string } = {}): Promise<CliRun> {
  const env: Record<string, string | undefined> = { ...process.env, ...QUIET, ...opts.env };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
  return new Promise((done) => {
    execFile('node', [join(ROOT, 'bin/handoff.js'), ...args], { cwd: opts.cwd ?? ROOT, env }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}
