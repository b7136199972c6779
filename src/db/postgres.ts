// PostgreSQL for several instances behind a load balancer (issue 5). Every instance keeps
// nothing another needs; concurrency is the database's: one transaction per write (or one
// statement: a single-statement write, handle.ts), row locks or a compare-and-set on
// read-modify-write paths (assignChat), an advisory lock around migrations. Compile-once
// statements run by name (statement-names.ts).
import { Kysely, type PostgresPool, type PostgresPoolClient } from 'kysely';
import pg from 'pg';
import { discardAfterCommit, runAfterCommit } from './after-commit.ts';
import { StaleRead, type Database, type DatabaseOptions, type Trx } from './handle.ts';
import { OwnSchemaPostgresDialect } from './own-schema-dialect.ts';
import { ReadOnlyPlugin } from './read-only.ts';
import { DatabaseSignals, registerSignals } from './signals.ts';
import type { DB } from './schema.ts';
import { statementName } from './statement-names.ts';

/** an arbitrary constant naming Handoff's migration lock among the database's advisory locks */
const MIGRATION_LOCK = 7_146_001;

// bigint (int8) columns are UNIX seconds and counts, far below 2^53: read them as numbers.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

const ATTEMPTS = 3;
const isDeadlock = (err: unknown) => (err as { code?: unknown } | null)?.code === '40P01';
/** a named statement prepared before a schema change that altered its result's columns */
const isOutdatedStatement = (err: unknown) =>
  (err as { code?: unknown } | null)?.code === '0A000' && /cached plan must not change result type/.test(String((err as Error).message));

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
  const dialect = new OwnSchemaPostgresDialect({ pool: namingPool(pool) }, options.schema ?? 'public');
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
    async write(work, writeOptions) {
      let single = writeOptions?.singleStatement === true;
      for (let attempt = 1; ; attempt++) {
        let current: object | undefined;
        try {
          // A single-statement write runs on the pool, each statement by itself: the handle is
          // a Kysely of its own only so that its after-commit hooks are its own.
          const result = single
            ? await work((current = writer.withTables<Record<never, never>>()) as unknown as Trx)
            : await writer.transaction().execute((trx) => work((current = trx)));
          runAfterCommit(current!);
          return result;
        } catch (err) {
          if (current) discardAfterCommit(current);
          // Its guarded statement changed nothing: again, in a transaction (handle.ts, StaleRead).
          if (single && err instanceof StaleRead) {
            single = false;
            attempt--;
            continue;
          }
          // A deadlock victim was rolled back whole (PostgreSQL chose it to let the other
          // transaction through), so running the work again is safe and, unlike the error, what
          // the caller asked for. Rare by design (locks are taken in one order where it can be
          // chosen), but several-row changes lock rows in the order they meet them. The same
          // for a statement outdated by a schema change (namingPool has renamed them all).
          if (!(isDeadlock(err) || isOutdatedStatement(err)) || attempt >= ATTEMPTS) throw err;
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

/**
 * The pool as Kysely's driver sees it: a compile-once statement runs by its name
 * (statement-names.ts), so each connection parses and plans it once. Should the schema change
 * under a running server (another instance migrating) and a prepared statement's columns with
 * it, PostgreSQL refuses that statement: every name then gets a new suffix, so each connection
 * prepares the statements again, and the refused one is run again (unnamed, when it was on its
 * own; a transaction was aborted by it, and write() runs it again).
 */
function namingPool(pool: pg.Pool): PostgresPool {
  let generation = 0;
  const clients = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const named = (client: pg.PoolClient): PostgresPoolClient => ({
    query: ((text: string, values: unknown[]) => {
      const name = typeof text === 'string' ? statementName(text) : undefined;
      if (!name) return client.query(text as never, values);
      const asked = generation;
      return client.query({ name: asked === 0 ? name : `${name}_${asked}`, text, values }).catch((err: unknown) => {
        if (!isOutdatedStatement(err)) throw err;
        if (generation === asked) generation++;
        if (client.getTransactionStatus() !== 'I') throw err;
        return client.query(text, values);
      });
    }) as unknown as PostgresPoolClient['query'],
    release: (destroy?: boolean) => client.release(destroy),
  });
  return {
    async connect() {
      const client = await pool.connect();
      let wrapped = clients.get(client);
      if (!wrapped) clients.set(client, (wrapped = named(client)));
      return wrapped;
    },
    end: () => pool.end(),
  };
}
