// Failed sign-ins are limited per account and per client address (docs/inbox.md): 5 per email
// or 20 per address within a fixed 15-minute window, counted in the database so every instance
// sees the same failures. Checked before the password is verified: a locked caller costs no
// scrypt hash, and even the right password is refused until the window ends.
import type { Database, Executor } from '../../db/database.ts';
import { TooManyRequests } from '../../errors.ts';
import { countFailure, deleteEndedWindows, deleteFailures, failureCounts } from './sign-in-failures.repository.ts';

export const SIGN_IN_WINDOW_SECONDS = 15 * 60;
export const FAILURES_PER_ACCOUNT = 5;
export const FAILURES_PER_ADDRESS = 20;

/** An account is its email, lower-cased: `Alice@x` and `alice@x` share one count. */
export const accountKey = (email: string): string => `email:${email.trim().toLowerCase()}`;
export const addressKey = (address: string): string => `address:${address}`;

const limitOf = (key: string): number => (key.startsWith('email:') ? FAILURES_PER_ACCOUNT : FAILURES_PER_ADDRESS);

/**
 * Throws TooManyRequests with the seconds until the latest locking window ends when the
 * account or the address has used up its failures. Concurrent attempts that all pass this
 * check before any of them fails are each verified and counted: the overshoot is bounded by
 * how many attempts run at once, never by how many are made.
 */
export async function refuseWhileLocked(db: Executor, keys: string[], now: number): Promise<void> {
  let retryAfter = 0;
  for (const row of await failureCounts(db, keys)) {
    const ends = row.window_start + SIGN_IN_WINDOW_SECONDS;
    if (ends > now && row.failures >= limitOf(row.key)) retryAfter = Math.max(retryAfter, ends - now);
  }
  if (retryAfter > 0) throw new TooManyRequests(retryAfter);
}

/**
 * Counts a failure for each key (in sorted order, so two instances counting the same keys lock
 * them in the same order), then removes windows that ended in a transaction of its own: the
 * table holds only what still counts, and the cleanup never holds the counting's locks.
 */
export async function countFailedSignIn(database: Database, keys: string[], now: number): Promise<void> {
  const ended = now - SIGN_IN_WINDOW_SECONDS;
  await database.write(async (trx) => {
    for (const key of [...keys].sort()) await countFailure(trx, key, now, ended);
  });
  await database.write((trx) => deleteEndedWindows(trx, ended));
}

/** A right password clears the account's failures; the address keeps its count (docs/inbox.md). */
export function clearAccountFailures(database: Database, email: string): Promise<void> {
  return database.write((trx) => deleteFailures(trx, accountKey(email)));
}
