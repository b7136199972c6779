// PostgreSQL for several instances behind a load balancer (issue 5). Every instance keeps
// nothing another needs; concurrency is the database's: one transaction per write, row locks
// on read-modify-write paths (lockChat), an advisory lock around migrations.
import { Kysely } from 'kysely';
import pg from 'pg';
import { discardAfterCommit, runAfterCommit } from './after-commit.ts';
import type { Database, DatabaseOptions } from './handle.ts';
import { OwnSchemaPostgresDialect } from './own-schema-dialect.ts';
import { ReadOnlyPlugin } from './read-only.ts';
import { DatabaseSignals, registerSignals } from './signals.ts';
import type { DB } from './schema.ts';

/** an arbitrary constant naming Handoff's migration lock among the database's advisory locks */
const MIGRATION_LOCK = 7_146_001;

// bigint (int8) columns are UNIX seconds and counts, far below 2^53: read them as numbers.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

const DEADLOCK_ATTEMPTS = 3;
const isDeadlock = (err: unknown) => (err as { code?: unknown } | null)?.code === '40P01';

export function openPostgres(url: string, options: DatabaseOptions): Database {
  if (options.schema && !/^[a-z_][a-z0-9_]*$/.test(options.schema)) throw new Error(`bad schema name ${options.schema}`);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    statement_timeout: options.statementTimeoutMs ?? 10_000,
    types,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle client's error (the server restarted) must not crash the process; the pool
  // replaces the client on next use.
  pool.on('error', () => {});
  // Two handles on one pool, as on SQLite: `db` reads (and refuses changes), `writer` is used
  // only by write() and exclusive().
  const dialect = new OwnSchemaPostgresDialect({ pool }, options.schema ?? 'public');
  const db = new Kysely<DB>({ dialect, plugins: [new ReadOnlyPlugin()] });
  const writer = new Kysely<DB>({ dialect });
  const signals = new DatabaseSignals();
  registerSignals(db, signals);
  registerSignals(writer, signals);
  return {
    db,
    dialect: 'postgres',
    schema: options.schema ?? 'public',
    signals,
    async write(work) {
      for (let attempt = 1; ; attempt++) {
        let current: object | undefined;
        try {
          const result = await writer.transaction().execute((trx) => work((current = trx)));
          runAfterCommit(current!);
          return result;
        } catch (err) {
          if (current) discardAfterCommit(current);
          // A deadlock victim was rolled back whole (PostgreSQL chose it to let the other
          // transaction through), so running the work again is safe and, unlike the error, what
          // the caller asked for. Rare by design (locks are taken in one order where it can be
          // chosen), but several-row changes lock rows in the order they meet them.
          if (!isDeadlock(err) || attempt >= DEADLOCK_ATTEMPTS) throw err;
        }
      }
    },
    async exclusive(work) {
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
        return await work(writer);
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
        client.release();
      }
    },
    async ping() {
      try {
        await pool.query('select 1');
        return true;
      } catch {
        return false;
      }
    },
    // Both handles share the pool: destroying one ends it.
    close: () => writer.destroy(),
  };
}
