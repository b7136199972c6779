// Embedded SQLite: WAL, durable commits grouped (group-commit.ts), checkpoints off-thread.
// Two connections, one role each: `db` reads on a read-only connection that sees committed data
// only (WAL) and never waits for a write batch; the writer is reachable only inside `write()`
// (and `exclusive()`, for migrations). So a read through `db` inside `write()` is an ordinary
// read, as on PostgreSQL, and cannot wait for the batch that holds the writer.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { SAFETY_NET_PAGES, startCheckpointer } from './checkpointer.ts';
import type { Database, DatabaseOptions } from './handle.ts';
import { GroupCommitter } from './group-commit.ts';
import { ReadOnlyPlugin } from './read-only.ts';
import { DatabaseSignals, registerSignals } from './signals.ts';
import { registerSqliteConnection, type StatementCache } from './sqlite-direct.ts';
import type { DB } from './schema.ts';

/** page cache per connection, in KiB (negative: SQLite's unit for a size rather than pages) */
const CACHE_SIZE = -32768;

/**
 * Page size of a new database file. An assignment changes a few rows of several indexes, and
 * each changed page is written whole to the WAL: 2 KiB pages write half the bytes of SQLite's
 * default 4 KiB (bench, issue 17). Existing files keep theirs (README: changing it needs VACUUM).
 */
export const NEW_FILE_PAGE_SIZE = 2048;

export function sqlitePath(url: string): string {
  const path = url.replace(/^sqlite:/, '');
  return path === ':memory:' ? path : resolve(path);
}

export function openSqlite(url: string, options: DatabaseOptions): Database {
  let path = sqlitePath(url);
  // `:memory:` is a scratch file that goes on close: the same two connections as a real file,
  // so tests and tools run the one read path and the one write path the server runs.
  const scratch = path === ':memory:' ? mkdtempSync(join(tmpdir(), 'handoff-scratch-')) : null;
  if (scratch) path = join(scratch, 'handoff.sqlite');
  else mkdirSync(dirname(path), { recursive: true });

  const sqlite = new BetterSqlite3(path);
  if (sqlite.pragma('page_count', { simple: true }) === 0) sqlite.pragma(`page_size = ${NEW_FILE_PAGE_SIZE}`);
  sqlite.pragma('journal_mode = WAL');
  // FULL: an acknowledged assignment survives power loss. NORMAL trades that for speed; a scratch
  // file has nothing to keep.
  const synchronous = scratch ? 'OFF' : options.sqliteSynchronous === 'normal' ? 'NORMAL' : 'FULL';
  sqlite.pragma(`synchronous = ${synchronous}`);
  sqlite.pragma('foreign_keys = ON');
  // Another process (the CLI beside a running server) waits for the lock instead of failing.
  sqlite.pragma('busy_timeout = 5000');
  // Hot chats and indexes stay in memory (the default cache is 2 MiB); the reader below has as
  // much again, 64 MiB in all (the search bench's 300 MB RSS budget counts both).
  sqlite.pragma(`cache_size = ${CACHE_SIZE}`);
  forgetValueSamples(sqlite);
  const checkpointer = scratch ? null : startCheckpointer(path);
  if (checkpointer) sqlite.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);

  const signals = new DatabaseSignals();
  const writerConnection = withStatementCache(sqlite);
  const writer = new Kysely<DB>({ dialect: new SqliteDialect({ database: writerConnection }) });
  const readerConnection = withStatementCache(openReader(path));
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: readerConnection }), plugins: [new ReadOnlyPlugin()] });
  for (const [handle, connection] of [[writer, writerConnection], [db, readerConnection]] as const) {
    registerSqliteConnection(handle, connection);
    registerSignals(handle, signals);
  }
  const committer = new GroupCommitter(writer, (sqlText) => void writerConnection.prepare(sqlText).run());
  return {
    db,
    dialect: 'sqlite',
    signals,
    write: (work) => committer.run(work),
    // Migrations get the writer. Kysely holds it for the migration's transaction, so a write
    // batch waits for it; BEGIN's own file lock serialises processes.
    exclusive: (work) => work(writer),
    async ping() {
      try {
        readerConnection.prepare('select 1').get();
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await committer.drain();
      await checkpointer?.stop();
      await db.destroy();
      await writer.destroy();
      // Kysely closes a connection only if it ever used it; compile-once reads may be all there were.
      readerConnection.close();
      writerConnection.close();
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/**
 * ANALYZE (or `PRAGMA optimize`) may have been run on the file. Its per-index counts
 * (sqlite_stat1) only help the planner, but its per-value samples (sqlite_stat4) make SQLite
 * re-plan a statement at every call whenever a bound value could change its plan: some point
 * reads took three to five times as long (search bench, "analyzed" file). They are dropped here,
 * before any connection plans a statement, so running ANALYZE is harmless.
 */
function forgetValueSamples(sqlite: BetterSqlite3.Database): void {
  const stat4 = sqlite.prepare("select 1 from sqlite_schema where name = 'sqlite_stat4'").get();
  if (stat4 && sqlite.prepare('select 1 from sqlite_stat4 limit 1').get()) sqlite.exec('delete from sqlite_stat4; analyze sqlite_schema');
}

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
