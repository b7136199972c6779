// What a `handoff` command is (cli-commands.ts holds the table): its flags, what it runs, and how
// its result reads for a human. Apart from the table, so that command groups in files of their own
// (cli-agents.ts, cli-routing.ts, …) can be written against it.
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { Invalid } from './errors.ts';
import type { CommandSpec, Flags, FlagValues } from './cli-args.ts';

/** What a command may use; the database is opened (and migrated) only when asked for. */
export interface Session {
  config(): Config;
  /** `migrate: false` only for `handoff migrate`, which reports what it applies */
  database(options?: { migrate?: boolean }): Promise<Database>;
}

export interface CommandDef<F extends Flags, R> extends CommandSpec {
  readonly flags: F;
  /**
   * true for a command that only reads (list, show): a SQLite file that does not exist is
   * reported rather than created (the operator is looking in the wrong place)
   */
  readonly readOnly?: boolean;
  run(values: FlagValues<F>, session: Session): Promise<R>;
  /** the human-readable lines; null prints nothing */
  human(result: R, values: FlagValues<F>): string | null;
  /** the `--json` document, when it is not the result itself */
  toJson?(result: R): unknown;
}

export type RawValues = Record<string, string | number | undefined>;
export interface Command extends CommandSpec {
  readonly readOnly?: boolean;
  run(values: RawValues, session: Session): Promise<unknown>;
  human(result: unknown, values: RawValues): string | null;
  toJson?(result: unknown): unknown;
}
/** Erases a command's own types for the table; the parser hands each handler values of its flags. */
export const command = <F extends Flags, R>(def: CommandDef<F, R>): Command => def as unknown as Command;

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Runs a request body's parser on values built from flags, naming a failing field by its flag
 * (`online-only`, not the body's `onlineOnly`) where the two differ.
 */
export function parseAsFlags<T>(parse: (raw: unknown) => T, raw: Record<string, unknown>, flagOf: Readonly<Record<string, string>>): T {
  try {
    return parse(raw);
  } catch (err) {
    if (!(err instanceof Invalid)) throw err;
    throw new Invalid(err.items.map((i) => ({ code: flagOf[i.code] ?? i.code, message: i.message })));
  }
}
