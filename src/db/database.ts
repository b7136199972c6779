// Opens the database a URL names: SQLite (embedded, the default) or PostgreSQL (scale-out)
// behind the one handle of handle.ts; the choice is made once, from DATABASE_URL, at wiring time
// (DESIGN rule 8). The handle's types are re-exported so callers import one module.
import type { DatabaseOptions, SqliteSynchronous, Database } from './handle.ts';
import { openPostgres } from './postgres.ts';
import { openSqlite } from './sqlite.ts';

export type { Database, DatabaseOptions, Db, Executor, SqliteSynchronous, Trx, WriteOptions } from './handle.ts';
export { joinedTo, StaleRead } from './handle.ts';

export function openDatabase(url: string, options: DatabaseOptions = {}): Database {
  return /^postgres(ql)?:\/\//.test(url) ? openPostgres(url, options) : openSqlite(url, options);
}

/** what of the configuration (config.ts) the database needs; db/ imports no app code */
export interface DatabaseSettings {
  databaseUrl: string;
  sqliteSynchronous: SqliteSynchronous;
  databasePoolSize: number;
  databaseStatementTimeoutMs: number;
}

/** the database the configuration names (server and CLI alike) */
export function openConfiguredDatabase(config: DatabaseSettings): Database {
  return openDatabase(config.databaseUrl, {
    sqliteSynchronous: config.sqliteSynchronous,
    poolSize: config.databasePoolSize,
    statementTimeoutMs: config.databaseStatementTimeoutMs,
  });
}
