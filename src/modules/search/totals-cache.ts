// Exact totals of searches, remembered while what they count is unchanged (issue 3 (iii):
// counting 266,000 chats whose customer's email contains "gmail" takes ~100 ms; a page of them
// ~1 ms). API.md §4.1 wants `total` exact, so an entry is only ever answered when nothing it
// counts can have changed since (TotalDepends below narrows that for customer-field filters).
// That the database as a whole is unchanged is one number on SQLite: `PRAGMA data_version` of
// the connection that counts, `database.db`'s read-only one (db/sqlite.ts). It moves whenever
// another connection commits to the file, and every writer is another connection: this
// process's own writer, the CLI, another process. The reader sees committed data only, so a
// count never includes half a transaction. The stamp is read before counting: a commit between
// the two leaves a count newer than its stamp, never older.
// PostgreSQL has no cheap equivalent across instances: there the cache is off.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { isPostgres } from '../../db/dialect.ts';
import { prepared } from '../../db/prepared.ts';

const MAX_ENTRIES = 1_000;

interface Entry {
  stamp: string;
  total: number;
}

/** one cache per database handle: two databases in one process never share entries */
const caches = new WeakMap<object, Map<string, Entry>>();
const stats = new WeakMap<object, { hits: number; misses: number }>();

const dataVersion = prepared((db) => db.selectNoFrom(sql<number>`(select data_version from pragma_data_version())`.as('version')));

/** what must be unchanged for a remembered total to be answered (SQLite only) */
async function stamp(db: Executor): Promise<string> {
  const { rows } = await dataVersion(db);
  return `database:${rows[0].version}`;
}

/**
 * What a total depends on. `database`: anything (the stamp above). `customers`: only the
 * customer columns migration 0010's triggers version, and the customers' chat counts — for
 * totals of filters made only of conditions on those columns (VERSIONED_CUSTOMER_COLUMNS, the
 * one list a test checks against the triggers), so a message, an assignment or a status change
 * does not make them count ~95 ms again. Read before counting, like the stamp above.
 */
export type TotalDepends = 'database' | 'customers';

/**
 * The customer columns whose every change (insert, delete, update of the column) bumps the
 * narrow stamp, by migration 0010's triggers: `organization_id`, `email`, `user_id`. A total
 * may depend on 'customers' only when its conditions read nothing else.
 */
export const VERSIONED_CUSTOMER_COLUMNS: ReadonlySet<string> = new Set(['email', 'user_id']);

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
