// The database handle every repository and use case receives: Kysely plus `write()`, the one
// way to run a read-modify-write transaction (DESIGN rules 2 and 5). Only types and one pure
// helper live here, so the two implementations (sqlite.ts, postgres.ts) and database.ts, which
// chooses between them, all import it without importing each other.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from './schema.ts';
import type { DatabaseSignals } from './signals.ts';

/** SQLite's `synchronous` pragma: FULL fsyncs every commit, NORMAL only at checkpoints (WAL) */
export type SqliteSynchronous = 'full' | 'normal';

export type Db = Kysely<DB>;
export type Trx = Transaction<DB>;
/** Repositories take either: a plain handle for reads, a transaction inside a use case. */
export type Executor = Kysely<DB> | Transaction<DB>;

export interface Database {
  /**
   * Reads, outside any transaction: committed data only (on SQLite a read-only connection, on
   * PostgreSQL the pool). It refuses changes (read-only.ts); those go through `write()`.
   */
  readonly db: Db;
  readonly dialect: 'sqlite' | 'postgres';
  /** PostgreSQL: the schema Handoff's tables live in */
  readonly schema?: string;
  /**
   * Runs `work` in a transaction and resolves after it is durably committed. On SQLite,
   * concurrent calls share one transaction (each in its own savepoint) so one fsync commits
   * many changes; a failing call rolls back only its own savepoint. On PostgreSQL each call
   * is its own transaction; rows it changes after reading are locked (see lockChat).
   */
  write<T>(work: (trx: Trx) => Promise<T>, options?: WriteOptions): Promise<T>;
  /** what this database tells its process after commits (signals.ts) */
  readonly signals: DatabaseSignals;
  /**
   * Runs `work` while holding the database-wide migration lock (PostgreSQL: advisory lock),
   * with a handle that may change the schema: migrations' only way to the writer.
   */
  exclusive<T>(work: (writer: Db) => Promise<T>): Promise<T>;
  /** true when the database answers a trivial query */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface WriteOptions {
  /**
   * `work` changes the database in one statement, its last, and that statement itself checks
   * that what the work read before is still so (compare-and-set; e.g. assignChat): nothing needs
   * a transaction around the work's statements. PostgreSQL then runs each of them by itself (an
   * autocommit statement is its own transaction): no BEGIN and COMMIT round trips, no lock held
   * while Node computes between two statements. SQLite runs it like any write.
   */
  singleStatement?: boolean;
}

/**
 * Thrown by the work of a single-statement write when its guarded statement found that what the
 * work had read was changed meanwhile by another write, and so changed nothing itself. write()
 * then runs the work again inside a transaction, where its reads may take row locks
 * (`trx.isTransaction`): under contention the writes of one row queue on its lock instead of
 * reading and losing again.
 */
export class StaleRead extends Error {
  constructor() {
    super('what the write read has changed since: run it again in a transaction');
  }
}

/**
 * `database` as seen from inside `trx`: its reads and every write() run in that transaction, so
 * a use case made of several services' writes commits all of them or none (the demo seed).
 */
export function joinedTo(database: Database, trx: Trx): Database {
  return { ...database, db: trx, write: <T>(work: (trx: Trx) => Promise<T>) => work(trx) };
}

export interface DatabaseOptions {
  sqliteSynchronous?: SqliteSynchronous;
  /** PostgreSQL connection pool size */
  poolSize?: number;
  /** PostgreSQL statement_timeout, ms */
  statementTimeoutMs?: number;
  /** PostgreSQL schema to work in (the tests give each file its own) */
  schema?: string;
}

