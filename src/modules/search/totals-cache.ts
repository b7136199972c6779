// Exact totals of searches, remembered while what they count is unchanged (issue 3 (iii):
// counting 266,000 chats whose customer's email contains "gmail" takes ~100 ms; a page of them
// ~1 ms). API.md §4.1 wants `total` exact, so an entry is only ever answered when nothing it
// counts can have changed since (TotalDepends below narrows that for customer-field filters).
// That the database as a whole is unchanged is checked on SQLite with three numbers:
//  - `PRAGMA data_version`: changes when another connection (the CLI, another process)
//    commits to the file;
//  - `total_changes()`: every row this connection has inserted, updated or deleted, trigger
//    and cascade changes included, whichever code path wrote it (a rolled-back change counts
//    too, which only costs a needless recount);
//  - this process's committed write batches (db/group-commit.ts): a batch's rows are counted
//    by total_changes() before its COMMIT, so only this number moves at the COMMIT itself.
// Kysely runs SQLite on one connection behind a mutex, and a transaction holds it to the end,
// so a read through the plain handle never sees half a transaction. The stamp is read before
// counting: a write between the two leaves a count newer than its stamp, never older.
// PostgreSQL has no cheap equivalent across instances: there the cache is off.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { isPostgres } from '../../db/dialect.ts';
import { committedBatches } from '../../db/group-commit.ts';
import { prepared } from '../../db/prepared.ts';

const MAX_ENTRIES = 1_000;

interface Entry {
  stamp: string;
  total: number;
}

/** one cache per database handle: two databases in one process never share entries */
const caches = new WeakMap<object, Map<string, Entry>>();
const stats = new WeakMap<object, { hits: number; misses: number }>();

/** what must be unchanged for a remembered total to be answered (SQLite only) */
async function stamp(db: Executor): Promise<string> {
  const batches = committedBatches(); // before the query: a batch committing meanwhile changes the next stamp
  const r = await sql<{ version: number; changes: number }>`select (select data_version from pragma_data_version()) as version, total_changes() as changes`.execute(db);
  const row = r.rows[0];
  return `${row.version}:${row.changes}:${batches}`;
}

/**
 * What a total depends on. `database`: anything (the stamp above). `customers`: only the
 * customers' searchable fields and chat counts, versioned by migration 0010's triggers — for
 * totals of filters made only of customer-field conditions, so a message, an assignment or a
 * status change does not make them count ~95 ms again. The version is read on the connection
 * the count runs on (db/sqlite-direct.ts: the reader, outside a transaction), before counting:
 * a write in between leaves a count newer than its stamp, never older.
 */
export type TotalDepends = 'database' | 'customers';

const customerSearchVersion = prepared((db) => db.selectFrom('customer_search_version').select('version').where('id', '=', 1));

async function stampOf(db: Executor, depends: TotalDepends): Promise<string> {
  if (depends === 'database') return stamp(db);
  const { rows } = await customerSearchVersion(db);
  return rows[0] ? `customers:${rows[0].version}` : stamp(db); // the row gone: trust nothing narrower
}

/**
 * `count()` answered from memory when `key` was counted on this database and nothing it
 * `depends` on has been written since; counted (and remembered) otherwise. Inside a
 * transaction, on PostgreSQL or with `enabled` false it always counts.
 */
export async function cachedTotal(
  db: Executor, key: string, enabled: boolean, count: () => Promise<number>, depends: TotalDepends = 'database',
): Promise<number> {
  if (!enabled || db.isTransaction || isPostgres(db)) return count();
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  let s = stats.get(db);
  if (!s) stats.set(db, (s = { hits: 0, misses: 0 }));
  const now = await stampOf(db, depends);
  const entry = cache.get(key);
  if (entry && entry.stamp === now) {
    s.hits++;
    return entry.total;
  }
  s.misses++;
  const total = await count();
  cache.delete(key); // re-inserted last: the Map's order is the eviction order
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(key, { stamp: now, total });
  return total;
}

/** hits and misses on this database handle (tests show the cache was used, the bench reports it) */
export function totalsCacheStats(db: Executor): { hits: number; misses: number } {
  return { ...(stats.get(db) ?? { hits: 0, misses: 0 }) };
}
