// SQL of the webhook log's retention (DESIGN rule 5; the job is retention.ts). Every statement
// touches at most `limit` rows, so none holds the database (SQLite's one writer) for long.
import type { Executor } from '../../db/database.ts';

/** the subscriptions whose log is pruned (a deleted one's log went with it: ON DELETE CASCADE) */
export async function webhookIds(db: Executor): Promise<number[]> {
  return (await db.selectFrom('webhooks').select('id').orderBy('id').execute()).map((r) => r.id);
}

/**
 * Deletes up to `limit` of a subscription's logged attempts made before `before`; resolves with
 * how many. The next attempt's `pending` row (dated when it is due) is kept. Found through the
 * log's own index (webhook_id, created_at, id): the oldest first, without a scan.
 */
export async function deleteOldAttempts(db: Executor, webhookId: number, before: number, limit: number): Promise<number> {
  const oldest = db
    .selectFrom('webhook_attempts')
    .select('id')
    .where('webhook_id', '=', webhookId)
    .where('created_at', '<', before)
    .where('status', '<>', 'pending')
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit);
  const r = await db.deleteFrom('webhook_attempts').where('id', 'in', oldest).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** up to `limit` queue rows after id `after`, in id order (the order they were queued in) */
export function queueRowsAfter(db: Executor, after: number, limit: number) {
  return db.selectFrom('webhook_deliveries').select(['id', 'status', 'created_at']).where('id', '>', after).orderBy('id').limit(limit).execute();
}

/**
 * Deletes the given queue rows that are settled (delivered, given up or cancelled), were queued
 * before `before`, and have no log left (deleteOldAttempts took it: their last attempt is older
 * than `before` too). A row that changed since it was read is kept. Resolves with how many.
 */
export async function deleteSettledDeliveries(db: Executor, ids: number[], before: number): Promise<number> {
  if (ids.length === 0) return 0;
  const r = await db
    .deleteFrom('webhook_deliveries as d')
    .where('d.id', 'in', ids)
    .where('d.status', '<>', 'pending')
    .where('d.created_at', '<', before)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('webhook_attempts as a').select('a.id').whereRef('a.delivery_id', '=', 'd.id'))))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
