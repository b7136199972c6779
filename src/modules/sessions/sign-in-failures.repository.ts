// All SQL about failed sign-ins (the limit of sign-in-limit.ts). The one table not scoped by
// organization: a sign-in happens before anyone knows which organization is asking, and its
// keys (an email, a client address) span organizations on purpose.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';

export interface FailureCount {
  key: string;
  window_start: number;
  failures: number;
}

export function failureCounts(db: Executor, keys: string[]): Promise<FailureCount[]> {
  return db.selectFrom('sign_in_failures').select(['key', 'window_start', 'failures']).where('key', 'in', keys).execute();
}

/**
 * One more failure for `key`: a window that ended (started at or before `windowEndsBefore`)
 * starts again at `now` with 1. One statement on both databases (ON CONFLICT … DO UPDATE), so
 * concurrent failures on several instances all count; every SET expression reads the row as it
 * was, on SQLite as on PostgreSQL.
 */
export async function countFailure(db: Executor, key: string, now: number, windowEndsBefore: number): Promise<void> {
  await db
    .insertInto('sign_in_failures')
    .values({ key, window_start: now, failures: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet((eb) => {
        const start = eb.ref('sign_in_failures.window_start');
        const ended = sql<boolean>`${start} <= ${windowEndsBefore}`;
        return {
          failures: sql<number>`case when ${ended} then 1 else ${eb.ref('sign_in_failures.failures')} + 1 end`,
          window_start: sql<number>`case when ${ended} then ${now} else ${start} end`,
        };
      }),
    )
    .execute();
}

/** rows whose window ended count nothing any more; removed so the table stays small */
export async function deleteEndedWindows(db: Executor, windowEndsBefore: number): Promise<void> {
  await db.deleteFrom('sign_in_failures').where('window_start', '<=', windowEndsBefore).execute();
}

export async function deleteFailures(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('sign_in_failures').where('key', '=', key).execute();
}
