// Compile-once queries for the hot paths (bench: building and compiling a join with Kysely
// costs about as much as SQLite running it). The query is built once with marker values; each
// call reuses the SQL text with its own values in the marked places. Only scalar arguments are
// allowed, and every argument must reach the query unconditionally, so the SQL shape is fixed.
import type { CompiledQuery, Compilable, QueryResult } from 'kysely';
import { isPostgres } from './dialect.ts';
import type { Executor } from './handle.ts';
import { isChange, isReadOnly, READ_ONLY } from './read-only.ts';
import { runDirect, type DirectOptions } from './sqlite-direct.ts';
import { nameStatement } from './statement-names.ts';

type Scalar = string | number | null;

type Slot = { arg: number } | { value: unknown };

export function prepared<A extends Scalar[], R>(build: (db: Executor, ...args: A) => Compilable<R>, options: DirectOptions = {}) {
  // One template per dialect: a process uses one database, but nothing here should assume it.
  const templates = new Map<unknown, { compiled: CompiledQuery<R>; slots: Slot[]; change: boolean }>();

  function compile(db: Executor, arity: number) {
    const markers = Array.from({ length: arity }, (_, i) => `\u0000handoff-param-${i}\u0000`);
    const compiled = build(db, ...(markers as A)).compile();
    const slots = compiled.parameters.map((p): Slot => {
      const arg = typeof p === 'string' ? markers.indexOf(p) : -1;
      return arg >= 0 ? { arg } : { value: p };
    });
    const used = new Set(slots.flatMap((s) => ('arg' in s ? [s.arg] : [])));
    if (used.size !== arity) throw new Error('prepared(): every argument must appear in the query exactly as given');
    // PostgreSQL: the fixed text is run as a named statement, parsed once per connection (statement-names.ts)
    if (isPostgres(db)) nameStatement(compiled.sql);
    return { compiled, slots, change: isChange(compiled.query) };
  }

  return async (db: Executor, ...args: A): Promise<QueryResult<R>> => {
    const adapter = db.getExecutor().adapter.constructor;
    let template = templates.get(adapter);
    if (!template) templates.set(adapter, (template = compile(db, args.length)));
    // The template may have been compiled inside write(): the read-only handle's plugin never saw it.
    if (template.change && isReadOnly(db)) throw new Error(READ_ONLY);
    const parameters = template.slots.map((s) => ('arg' in s ? args[s.arg] : s.value));
    return runDirect<R>(db, template.compiled.sql, parameters, options) ?? db.executeQuery<R>({ ...template.compiled, parameters });
  };
}

/**
 * A query whose shape varies per call (a search's filter), run the way compile-once queries
 * are: on SQLite straight on the connection, skipping Kysely's executor, and outside a
 * transaction on the read-only connection, so it never waits behind a write batch. Building
 * and compiling it stays per call (~90 µs for a search's ids; the SQL alone runs in ~110 µs).
 */
export async function runCompiled<R>(db: Executor, compiled: CompiledQuery<R>): Promise<QueryResult<R>> {
  return runDirect<R>(db, compiled.sql, compiled.parameters) ?? db.executeQuery<R>(compiled);
}
