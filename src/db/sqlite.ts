// Embedded SQLite: WAL, durable commits grouped (group-commit.ts), checkpoints off-thread.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { SAFETY_NET_PAGES, startCheckpointer } from './checkpointer.ts';
import type { Database, DatabaseOptions } from './handle.ts';
import { GroupCommitter } from './group-commit.ts';
import { registerSqliteConnections, type StatementCache } from './sqlite-direct.ts';
import type { DB } from './schema.ts';

/** page cache per connection, in KiB (negative: SQLite's unit for a size rather than pages) */
const CACHE_SIZE = -32768;

export function sqlitePath(url: string): string {
  const path = url.replace(/^sqlite:/, '');
  return path === ':memory:' ? path : resolve(path);
}

export function openSqlite(url: string, options: DatabaseOptions): Database {
  const path = sqlitePath(url);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  // FULL: an acknowledged assignment survives power loss. NORMAL trades that for speed.
  sqlite.pragma(`synchronous = ${options.sqliteSynchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
  sqlite.pragma('foreign_keys = ON');
  // Another process (the CLI beside a running server) waits for the lock instead of failing.
  sqlite.pragma('busy_timeout = 5000');
  // Hot chats and indexes stay in memory (the default cache is 2 MiB); the reader below has as
  // much again, 64 MiB in all (the search bench's 300 MB RSS budget counts both).
  sqlite.pragma(`cache_size = ${CACHE_SIZE}`);
  const checkpointer = path === ':memory:' ? null : startCheckpointer(path);
  if (checkpointer) sqlite.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);

  const writer = withStatementCache(sqlite);
  const readerHandle = path === ':memory:' ? null : openReader(path);
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: writer }) });
  registerSqliteConnections(db, { writer, reader: readerHandle && withStatementCache(readerHandle) });
  const committer = new GroupCommitter(
    db,
    (sqlText) => void writer.prepare(sqlText).run(),
    () => (writer.prepare('select total_changes() as n').get() as { n: number }).n,
  );
  return {
    db,
    dialect: 'sqlite',
    write: (work) => committer.run(work),
    // One connection per process and BEGIN's own file lock already serialise migrations.
    exclusive: (work) => work(),
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
      readerHandle?.close();
    },
  };
}

/** the second connection, for compile-once reads outside transactions (sqlite-direct.ts) */
function openReader(path: string): BetterSqlite3.Database {
  const reader = new BetterSqlite3(path, { readonly: true });
  reader.pragma('busy_timeout = 5000');
  reader.pragma(`cache_size = ${CACHE_SIZE}`);
  return reader;
}

/**
 * Kysely prepares every query anew; SQLite's prepare is a large share of a point query's
 * cost. Queries are built from a finite set of shapes, so caching statements by SQL text is
 * bounded in practice; the cap guards against unbounded growth (e.g. IN lists of many sizes).
 */
function withStatementCache(sqlite: BetterSqlite3.Database): StatementCache & { close(): void } {
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
