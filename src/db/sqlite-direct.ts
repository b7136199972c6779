// Compile-once queries (prepared.ts) on SQLite skip Kysely's executor: its connection mutex and
// promise hops cost more than SQLite itself for a point query (findChat under 50 concurrent
// callers: 52 → 22 µs of CPU). Statements run synchronously on the connection of the handle
// they are given: `database.db`'s read-only connection, or inside `write()` the writer, which
// the batch's transaction holds (sqlite.ts).
// Rows are fetched as arrays and made into objects here: better-sqlite3 builds a wide row
// object property by property, which costs more than SQLite reading it (a page of 100 chat
// views: about 2 ms as objects, under 1 ms as arrays made into objects by `rowMaker`).
// Even as arrays, each value costs about 0.25 µs to hand over: on Node 20 better-sqlite3 12
// sets them one by one (its faster row builder needs Node 22). `packRows` hands over one JSON
// text per row instead (SQLite's json_array) and parses it here: a page of 100 chat views,
// 28 values a row, 960 → 660 µs.
import type BetterSqlite3 from 'better-sqlite3';
import type { QueryResult } from 'kysely';
import type { Executor } from './handle.ts';

export interface StatementCache {
  prepare(sqlText: string): BetterSqlite3.Statement;
}

// Keyed by the Kysely adapter: one per root Kysely instance, shared by its transactions. A
// database registers its read-only handle with the reader and its private writer with the
// writer (sqlite.ts), so the handle a statement is given decides the connection it runs on.
const byAdapter = new WeakMap<object, StatementCache>();

export function registerSqliteConnection(db: Executor, connection: StatementCache): void {
  byAdapter.set(db.getExecutor().adapter, connection);
}

export interface DirectOptions {
  /**
   * Fetch each row as one JSON text (see the top of this file). Only for statements whose
   * columns hold integers, text or null: json_array refuses blobs and prints reals with 15
   * digits.
   */
  packRows?: boolean;
}

/**
 * Runs a compiled query directly on the SQLite connection of `db`; null means "go through
 * Kysely" (PostgreSQL). prepared() refuses a change given to the read-only handle before this.
 */
export function runDirect<R>(db: Executor, sqlText: string, parameters: readonly unknown[], options: DirectOptions = {}): QueryResult<R> | null {
  const connection = byAdapter.get(db.getExecutor().adapter);
  if (!connection) return null;
  const stmt = connection.prepare(sqlText);
  if (stmt.reader) {
    const packed = options.packRows ? packedStatement(connection, stmt) : null;
    return { rows: packed ? readPackedRows<R>(stmt, packed, parameters) : readRows<R>(stmt, parameters) };
  }
  // What Kysely's SQLite driver answers for a statement without rows.
  const { changes, lastInsertRowid } = stmt.run(parameters);
  return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
}

const rowMakers = new WeakMap<BetterSqlite3.Statement, (values: unknown[]) => unknown>();

/** the row maker of `stmt`'s columns, built on its first use */
function rowMakerOf(stmt: BetterSqlite3.Statement): (values: unknown[]) => unknown {
  let make = rowMakers.get(stmt);
  if (!make) rowMakers.set(stmt, (make = rowMaker(stmt.columns().map((c) => c.name))));
  return make;
}

function readRows<R>(stmt: BetterSqlite3.Statement, parameters: readonly unknown[]): R[] {
  const make = rowMakerOf(stmt);
  // The statement is shared with Kysely's driver (one cache per connection), which wants objects.
  stmt.raw(true);
  try {
    return (stmt.all(parameters) as unknown[][]).map(make) as R[];
  } finally {
    stmt.raw(false);
  }
}

const packedStatements = new WeakMap<BetterSqlite3.Statement, BetterSqlite3.Statement | null>();

/**
 * The statement wrapped as `select json_array(its columns) from (it)`, prepared on its first
 * use; SQLite flattens the subquery, so the plan is the statement's own. Null when two columns
 * share a name (the wrapper could not name them apart): those rows are read unpacked.
 */
function packedStatement(connection: StatementCache, stmt: BetterSqlite3.Statement): BetterSqlite3.Statement | null {
  let packed = packedStatements.get(stmt);
  if (packed === undefined) {
    const names = stmt.columns().map((c) => c.name);
    const unique = new Set(names).size === names.length;
    packed = unique ? connection.prepare(`select json_array(${names.map(quoteName).join(', ')}) from (${stmt.source})`) : null;
    packedStatements.set(stmt, packed);
  }
  return packed;
}

const quoteName = (name: string) => `"${name.replaceAll('"', '""')}"`;

function readPackedRows<R>(stmt: BetterSqlite3.Statement, packed: BetterSqlite3.Statement, parameters: readonly unknown[]): R[] {
  const make = rowMakerOf(stmt);
  packed.pluck(true); // shared through the statement cache, like readRows' statements
  try {
    return (packed.all(parameters) as string[]).map((text) => make(JSON.parse(text) as unknown[])) as R[];
  } finally {
    packed.pluck(false);
  }
}

/**
 * An object literal per row, with the columns as keys in order (a later duplicate wins, as in
 * better-sqlite3): one hidden class for every row. The names come from our own compiled SQL
 * and are embedded as JSON string literals.
 */
function rowMaker(columns: string[]): (values: unknown[]) => unknown {
  const last = new Map(columns.map((name, i) => [name, i]));
  const fields = [...last].map(([name, i]) => `${JSON.stringify(name)}: v[${i}]`);
  return new Function('v', `return { ${fields.join(', ')} };`) as (values: unknown[]) => unknown;
}
