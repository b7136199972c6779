// Argument parsing for the `handoff` command (DESIGN: CLI args with `node:util` parseArgs).
// A command declares its flags once; the same declaration gives the parser, the typed values
// its handler receives, and the usage line printed with every mistake.
import { parseArgs } from 'node:util';

export type FlagKind = 'text' | 'int';

export interface FlagSpec {
  readonly kind: FlagKind;
  /** the placeholder in usage lines: `--org ID` */
  readonly meta: string;
  readonly required: boolean;
}

export type Flags = Record<string, FlagSpec>;

export const text = (meta: string) => ({ kind: 'text', meta, required: true }) as const;
/** a whole number ≥ 1: ids and limits */
export const int = (meta: string) => ({ kind: 'int', meta, required: true }) as const;
export const optional = <S extends FlagSpec>(spec: S) => ({ ...spec, required: false }) as Omit<S, 'required'> & { readonly required: false };

type ValueOf<S extends FlagSpec> = S['kind'] extends 'int' ? number : string;
/** what a handler receives for its flags: required ones are always present */
export type FlagValues<F extends Flags> = {
  [K in keyof F]: F[K]['required'] extends true ? ValueOf<F[K]> : ValueOf<F[K]> | undefined;
};

/** What the parser needs to know about a command. */
export interface CommandSpec {
  /** one or two words: `serve`, `org create` */
  readonly name: string;
  readonly summary: string;
  readonly flags: Flags;
  /** false for commands with no single result to print as JSON (`serve`) */
  readonly json?: boolean;
}

/** A mistake on the command line: exit code 2, the message, then what to type instead. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** What to do: run a command with its flag values, or show help (for one command or all). */
export type CommandLine<C extends CommandSpec> =
  | { kind: 'run'; command: C; values: Record<string, string | number | undefined>; json: boolean }
  | { kind: 'help'; topic?: C; json: boolean }
  | { kind: 'version'; json: boolean };

export const usageLine = (c: CommandSpec): string =>
  ['handoff', c.name, ...Object.entries(c.flags).map(([name, s]) => (s.required ? `--${name} ${s.meta}` : `[--${name} ${s.meta}]`))].join(' ');

export const usageHint = (c: CommandSpec): string => `Usage: ${usageLine(c)}`;
const LIST_HINT = 'Run `handoff help` to list the commands.';

/**
 * Parses argv against the command table. `handoff`, `handoff help`, `handoff --help` show all
 * commands; `handoff help org create` and `handoff org create --help` show one.
 */
export function parseCommandLine<C extends CommandSpec>(argv: string[], commands: readonly C[]): CommandLine<C> {
  const guess = findCommand(argv.filter((a) => !a.startsWith('-')), commands)?.command;
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: allOptions(commands), allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(describeParseError(err), guess ? usageHint(guess) : LIST_HINT);
  }
  const json = parsed.values.json === true;
  if (parsed.values.version === true) return { kind: 'version', json };
  const words = parsed.positionals[0] === 'help' ? parsed.positionals.slice(1) : parsed.positionals;
  const wantsHelp = parsed.values.help === true || parsed.positionals[0] === 'help';
  if (words.length === 0) return { kind: 'help', json };
  const found = findCommand(words, commands);
  if (!found) throw unknownCommand(words, commands);
  const { command, rest } = found;
  if (rest.length > 0) throw new UsageError(`Unexpected argument "${rest[0]}".`, usageHint(command));
  if (wantsHelp) return { kind: 'help', topic: command, json };
  if (json && command.json === false) {
    throw new UsageError(`handoff ${command.name} prints a log, not a JSON document.`, `Run it without --json. ${usageHint(command)}`);
  }
  return { kind: 'run', command, values: flagValues(command, parsed.values), json };
}

function findCommand<C extends CommandSpec>(words: string[], commands: readonly C[]) {
  for (const n of [2, 1]) {
    const command = commands.find((c) => c.name === words.slice(0, n).join(' '));
    if (command && words.length >= n) return { command, rest: words.slice(n) };
  }
  return undefined;
}

function unknownCommand(words: string[], commands: readonly CommandSpec[]): UsageError {
  const near = commands.filter((c) => c.name.startsWith(`${words[0]} `)).map((c) => usageLine(c));
  return new UsageError(`Unknown command "${words.join(' ')}".`, near.length > 0 ? `Did you mean:\n  ${near.join('\n  ')}` : LIST_HINT);
}

function allOptions(commands: readonly CommandSpec[]) {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'v' },
  };
  for (const c of commands) for (const name of Object.keys(c.flags)) options[name] = { type: 'string' };
  return options;
}

/** parseArgs' messages suggest positional `--` tricks; say what the operator should type instead. */
function describeParseError(err: unknown): string {
  const code = (err as { code?: string }).code;
  const message = err instanceof Error ? err.message : String(err);
  const flag = /'(-[^' ]+)/.exec(message)?.[1] ?? 'a flag';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `Unknown flag ${flag}.`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && /does not take an argument/.test(message)) return `${flag} takes no value.`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return `${flag} needs a value (write ${flag}=VALUE if the value starts with "-").`;
  return message.split('\n')[0];
}

function flagValues(command: CommandSpec, raw: Record<string, string | boolean | undefined>) {
  const values: Record<string, string | number | undefined> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (name === 'json' || name === 'help' || name === 'version' || value === undefined) continue;
    if (!(name in command.flags)) throw new UsageError(`handoff ${command.name} has no --${name} flag.`, usageHint(command));
  }
  for (const [name, spec] of Object.entries(command.flags)) {
    const value = raw[name];
    if (typeof value !== 'string') {
      if (spec.required) throw new UsageError(`Missing --${name}.`, usageHint(command));
      continue;
    }
    values[name] = spec.kind === 'int' ? positiveInt(command, name, value) : value;
  }
  return values;
}

function positiveInt(command: CommandSpec, name: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || !Number.isSafeInteger(n)) {
    throw new UsageError(`--${name} must be a whole number of 1 or more, not "${value}".`, usageHint(command));
  }
  return n;
}
