// An organization's webhook interest (migration 0006): which events its active subscriptions
// want, kept on its row (`webhook_events`, with `webhook_generation`), read by every outbox
// insert (events/outbox.ts) so that an event nobody wants is written already fanned out and
// costs the webhook worker nothing. Here are the column's format and the outbox's read of it;
// the subscription side (lockInterest, saveInterest) is the webhooks feature's SQL
// (modules/webhooks/interest.repository.ts). It lives with the outbox, not the feature, so
// that infrastructure never imports a feature.
//
// Why no subscription can miss an event committed after it was created:
//
// Every outbox insert reads `webhook_events` and `webhook_generation` from the organization's
// row in the same statement that writes the event; on PostgreSQL that read takes FOR KEY SHARE
// on the row (the lock the outbox's foreign key takes on it anyway). Every change of the
// organization's subscriptions first takes FOR UPDATE on that row (`lockInterest`), which
// conflicts with FOR KEY SHARE, and only then reads the subscriptions and writes the row.
// Take a write W (its event e) and a subscription creation S in the same organization:
//  - W locked the row first: S waits until W has committed, so e was committed before S. e
//    carries the generation before S's, and fan-out does not give it to S.
//  - S locked first: W's lock waits until S has committed, and a locking read in READ
//    COMMITTED returns the newest committed version of the row (whatever W's snapshot), so W
//    sees S's `webhook_events` (e is pending when S wants it) and S's generation (fan-out gives
//    it to S). Only a later subscription change can have changed those columns since, and it
//    took the same lock after S: its values include S's while S is active.
// So e reaches S exactly when e commits after S. Two subscription changes are serialised by the
// same FOR UPDATE, and each reads the subscriptions after acquiring it (a new statement, so a
// new snapshot in READ COMMITTED), so neither overwrites the other's interest with a stale
// one. On SQLite writes are serial (db/group-commit.ts runs them one after another in one
// transaction), which gives the same order without any lock.
// A re-activated subscription (`handoff webhook resume`) is changed like a new one:
// lockInterest, since_generation = generation + 1, saveInterest.
// Dropping interest (delete, 410) may lag a concurrent write, which then marks its event
// pending for nobody: the worker fans it out to no one — work, never a lost delivery.
import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import { isPostgres } from '../db/dialect.ts';
import type { Flag } from '../db/schema.ts';

/** a subscription's event list, and the interest, that means every event: "*" (docs/compatibility.md, POST /v1/webhooks) */
export const ALL_EVENTS = '*';

/** `webhook_events` for a set of subscriptions' event lists: null, '*' or ',name,name,' */
export function interestOf(eventLists: string[][]): string | null {
  if (eventLists.length === 0) return null;
  const names = new Set(eventLists.flat());
  if (names.has(ALL_EVENTS)) return ALL_EVENTS;
  return `,${[...names].sort().join(',')},`;
}

/** the value an outbox insert looks for in `webhook_events` (besides '*') */
export const interestNeedle = (event: string) => `,${event},`;

/**
 * What an outbox insert selects as `webhook_pending` from the organization row `o`: 1 when an
 * active subscription wants the event (`needle` = interestNeedle(event)), else 0.
 */
export const wantedBy = (db: Executor, needle: string) =>
  isPostgres(db)
    ? sql<Flag>`case when o.webhook_events = ${ALL_EVENTS} or strpos(o.webhook_events, ${needle}) > 0 then 1 else 0 end`
    : sql<Flag>`case when o.webhook_events = ${ALL_EVENTS} or instr(o.webhook_events, ${needle}) > 0 then 1 else 0 end`;
