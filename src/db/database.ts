// The database handle every repository and use case receives: Kysely plus `write()`, the one
// way to run a read-modify-write transaction (DESIGN rules 2 and 5).
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, type Transaction } from 'kysely';
import type { SqliteSynchronous } from '../config.ts';
import type { DB } from './schema.ts';
import { GroupCommitter } from './group-commit.ts';
import { SAFETY_NET_PAGES, startCheckpointer } from './checkpointer.ts';

export type Db = Kysely<DB>;
export type Trx = Transaction<DB>;
/** Repositories take either: a plain handle for reads, a transaction inside a use case. */
export type Executor = Kysely<DB> | Transaction<DB>;

export interface Database {
  readonly db: Db;
  readonly dialect: 'sqlite';
  /**
   * Runs `work` in a transaction and resolves after it is durably committed. On SQLite,
   * concurrent calls share one transaction (each in its own savepoint) so one fsync commits
   * many changes; a failing call rolls back only its own savepoint.
   */
  write<T>(work: (trx: Trx) => Promise<T>): Promise<T>;
  /** true when the database answers a trivial query */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  sqliteSynchronous?: SqliteSynchronous;
}

export function sqlitePath(url: string): string {
  const path = url.replace(/^sqlite:/, '');
  return path === ':memory:' ? path : resolve(path);
}

export function openDatabase(url: string, options: DatabaseOptions = {}): Database {
  const path = sqlitePath(url);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  // FULL: an acknowledged assignment survives power loss. NORMAL trades that for speed.
  sqlite.pragma(`synchronous = ${options.sqliteSynchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
  sqlite.pragma('foreign_keys = ON');
  // Another process (the CLI beside a running server) waits for the lock instead of failing.
  sqlite.pragma('busy_timeout = 5000');
  // Hot chats and indexes stay in memory (the default cache is 2 MiB).
  sqlite.pragma('cache_size = -65536');
  const checkpointer = path === ':memory:' ? null : startCheckpointer(path);
  if (checkpointer) sqlite.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);

  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  const committer = new GroupCommitter(db);
  return {
    db,
    dialect: 'sqlite',
    write: (work) => committer.run(work),
    async ping() {
      try {
        sqlite.prepare('select 1').get();
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await committer.drain();
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

/**
 * Kysely prepares every query anew; SQLite's prepare is a large share of a point query's
 * cost. Queries are built from a finite set of shapes, so caching statements by SQL text is
 * bounded in practice; the cap guards against unbounded growth (e.g. IN lists of many sizes).
 */
function withStatementCache(sqlite: BetterSqlite3.Database) {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sqlText: string) {
      let stmt = cache.get(sqlText);
      if (!stmt) {
        stmt = sqlite.prepare(sqlText);
        if (cache.size >= 1000) cache.clear();
        cache.set(sqlText, stmt);
      }
      return stmt;
    },
  };
}
