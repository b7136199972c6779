// Runs one `handoff` command line against a command table (cli-commands.ts): parse, open the
// database the configuration names, run, print. Output: short lines for humans, or with `--json`
// exactly one JSON document on stdout. Errors always go to stderr as text (stdout stays empty),
// with what to type next: exit 2 for a mistake on the command line, 1 for a refused or failed
// command. Apart from cli.ts, which runs when loaded, so the tests can run the table in-process.
import { existsSync } from 'node:fs';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { openConfiguredDatabase, type Database } from './db/database.ts';
import { migrateDatabase } from './db/migrate.ts';
import { sqlitePath } from './db/sqlite.ts';
import { DomainError, Invalid, NotFound } from './errors.ts';
import { VERSION } from './version.ts';
import { parseCommandLine, usageHint, usageLine, UsageError, type CommandLine } from './cli-args.ts';
import type { Command, Session } from './cli-command.ts';

/** where a run reads its settings and writes its output: the process, or a test */
export interface CliContext {
  /** the environment variables (process.env) */
  env: Readonly<Record<string, string | undefined>>;
  stdout(text: string): void;
  stderr(text: string): void;
  /** a database to use instead of the one DATABASE_URL names (the tests'; the caller closes it) */
  database?: Database;
}

export const DEFAULT_DATABASE_URL = 'sqlite:./data/handoff.sqlite';

/** A read-only command found no database where the configuration says it is. */
export class MissingDatabase extends Error {
  constructor(path: string, env: CliContext['env']) {
    const where = env.DATABASE_URL
      ? `DATABASE_URL=${env.DATABASE_URL} names it (a relative path is resolved from the current directory, ${process.cwd()}).`
      : `DATABASE_URL is not set, so the CLI looks for ${DEFAULT_DATABASE_URL} in the current directory (${process.cwd()}), as the server does.`;
    super(
      [
        `No database at ${path}: ${where} Nothing was created.`,
        "Run the command from the directory the server runs in, or set DATABASE_URL to the server's database,",
        'e.g. DATABASE_URL=sqlite:/srv/handoff/data/handoff.sqlite npx handoff org list (see README, Configuration).',
      ].join('\n'),
    );
  }
}

function openSession(context: CliContext, command: Command): Session & { close(): Promise<void> } {
  let config: Config | undefined;
  let database: Database | undefined;
  const loadedConfig = () => (config ??= loadConfig(context.env));
  return {
    config: loadedConfig,
    async database({ migrate: migrateFirst = true } = {}) {
      if (context.database) return context.database;
      if (!database) {
        const c = loadedConfig();
        // A read-only command must not leave an empty file behind where it looked in the wrong place.
        if (command.readOnly) refuseMissingFile(c.databaseUrl, context.env);
        database = openConfiguredDatabase(c);
        // A fresh database works with any command that writes; an older one is brought up to date.
        if (migrateFirst) await migrateDatabase(database);
      }
      return database;
    },
    close: async () => database?.close(),
  };
}

function refuseMissingFile(databaseUrl: string, env: CliContext['env']): void {
  if (!databaseUrl.startsWith('sqlite:')) return; // PostgreSQL says itself when a database is missing
  const path = sqlitePath(databaseUrl);
  if (path !== ':memory:' && !existsSync(path)) throw new MissingDatabase(path, env);
}

function helpResult(commands: readonly Command[]) {
  return { commands: commands.map((c) => ({ command: c.name, usage: usageLine(c), summary: c.summary })) };
}

function helpText({ commands }: ReturnType<typeof helpResult>, topic: Command | undefined): string {
  const lines = commands.flatMap((c) => [`  ${c.usage}`, `      ${c.summary}`]);
  if (topic) {
    const notes = topic.readOnly ? ['', 'It only reads: a SQLite database file that does not exist is reported, not created.'] : [];
    return ['Usage:', ...lines, ...notes, '', 'Add --json for one JSON document on stdout. The database is DATABASE_URL (default sqlite:./data/handoff.sqlite).'].join('\n');
  }
  return [
    'handoff — operate a Handoff server (HelpCrunch REST API v1).',
    '',
    'Commands:',
    ...lines,
    '  handoff help [COMMAND]      (or: handoff COMMAND --help)',
    '  handoff --version',
    '',
    'Every command accepts --json: exactly one JSON document on stdout. Errors go to stderr as text;',
    'the exit code is 2 for a mistake on the command line and 1 when the command was refused or failed.',
    `The database is DATABASE_URL, as for the server (default ${DEFAULT_DATABASE_URL}, relative to the`,
    'current directory): run commands from the directory the server runs in, or give them its DATABASE_URL.',
  ].join('\n');
}

async function execute(line: CommandLine<Command>, commands: readonly Command[], context: CliContext): Promise<void> {
  const write = (output: unknown) => {
    if (line.json) context.stdout(`${JSON.stringify(output, null, 2)}\n`);
    else if (output !== null) context.stdout(`${String(output)}\n`);
  };
  if (line.kind === 'version') return write(line.json ? { version: VERSION } : `handoff ${VERSION}`);
  if (line.kind === 'help') {
    const result = helpResult(line.topic ? [line.topic] : commands);
    return write(line.json ? result : helpText(result, line.topic));
  }
  const session = openSession(context, line.command);
  let result: unknown;
  try {
    result = await line.command.run(line.values, session);
  } finally {
    await session.close();
  }
  const { toJson } = line.command;
  write(line.json ? (toJson ? toJson(result) : result) : line.command.human(result, line.values));
}

/** what to check when a thing a flag names is not there, by entity (`--agent` where a command names the agent so) */
const NOT_FOUND_HINTS: Record<string, (c: Command | undefined) => string> = {
  Organization: () => 'List them with: handoff org list; create one with: handoff org create --name NAME',
  'API key': () => 'List them with: handoff key list --org ID (a key that is already revoked cannot be revoked again).',
  Agent: (c) => `Check ${c && 'agent' in c.flags ? '--agent' : '--id'} and --org: the agent must belong to that organization (handoff agent list --org ID).`,
  Department: () => 'Check --department and --org: the department must belong to that organization (handoff department list --org ID).',
  Webhook: () => 'List them with: handoff webhook list --org ID',
};

/** Writes what went wrong and what to do next; returns the exit code. */
function report(err: unknown, line: CommandLine<Command> | undefined, context: CliContext): number {
  const command = line?.kind === 'run' ? line.command : undefined;
  const usage = command ? `\n${usageHint(command)}` : '';
  let message: string;
  let code = 1;
  if (err instanceof UsageError) {
    message = `${err.message} ${err.hint}`;
    code = 2;
  } else if (err instanceof Invalid) {
    message = `Invalid input:\n${err.items.map((i) => `  ${i.code}: ${i.message}`).join('\n')}${usage}`;
  } else if (err instanceof NotFound) {
    message = `${err.entity} ${err.id} not found. ${NOT_FOUND_HINTS[err.entity]?.(command) ?? ''}`.trimEnd();
  } else if (err instanceof ConfigError) {
    message = `${err.message}\nFix the variables above (see README, Configuration) and run the command again.`;
  } else if (err instanceof DomainError || err instanceof MissingDatabase) {
    message = err.message;
  } else {
    // The environment (a port in use, an unwritable path) carries a system error code and its
    // message says it all; anything else is a bug, and the stack helps report it.
    const name = command ? `handoff ${command.name}` : 'handoff';
    const environmental = typeof (err as { code?: unknown } | null)?.code === 'string';
    message = `${name} failed: ${err instanceof Error ? ((environmental ? err.message : err.stack) ?? err.message) : String(err)}`;
  }
  context.stderr(`${message}\n`);
  return code;
}

/** Runs `argv` (without `node` and the script) against `commands`; resolves with the exit code. */
export async function runCli(argv: string[], commands: readonly Command[], context: CliContext): Promise<number> {
  let line: CommandLine<Command> | undefined;
  try {
    line = parseCommandLine(argv, commands);
    await execute(line, commands, context);
    return 0;
  } catch (err) {
    return report(err, line, context);
  }
}
