// Compile-once queries (prepared.ts) on SQLite skip Kysely's executor: its connection mutex and
// promise hops cost more than SQLite itself for a point query (findChat under 50 concurrent
// callers: 52 → 22 µs of CPU). Statements run synchronously on the connection Kysely would
// have used: inside a transaction the writer, which the transaction holds; outside one, a
// second, read-only connection that sees only committed data (WAL) and never waits for a
// write batch in progress. A write outside a transaction still goes through Kysely.
import type BetterSqlite3 from 'better-sqlite3';
import type { QueryResult } from 'kysely';
import type { Executor } from './database.ts';

export interface StatementCache {
  prepare(sqlText: string): BetterSqlite3.Statement;
}

interface Connections {
  writer: StatementCache;
  /** null for `:memory:`, where a second connection would be another database */
  reader: StatementCache | null;
}

// Keyed by the Kysely adapter: one per root Kysely instance, shared by its transactions.
const byAdapter = new WeakMap<object, Connections>();

export function registerSqliteConnections(db: Executor, connections: Connections): void {
  byAdapter.set(db.getExecutor().adapter, connections);
}

/**
 * Runs a compiled query directly when `db` is SQLite and it can be run so; null means "go
 * through Kysely" (PostgreSQL, an in-memory database, or a write outside a transaction).
 */
export function runDirect<R>(db: Executor, sqlText: string, parameters: readonly unknown[]): QueryResult<R> | null {
  const connections = byAdapter.get(db.getExecutor().adapter);
  const connection = connections && (db.isTransaction ? connections.writer : connections.reader);
  if (!connection) return null;
  const stmt = connection.prepare(sqlText);
  if (stmt.reader) return { rows: stmt.all(parameters) as R[] };
  if (!db.isTransaction) return null; // the reader cannot write; Kysely queues it for the writer
  // What Kysely's SQLite driver answers for a statement without rows.
  const { changes, lastInsertRowid } = stmt.run(parameters);
  return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
}
