// The webhook log's retention (issue 18 item 7): logged attempts older than
// WEBHOOK_RETENTION_DAYS are deleted, then the settled queue rows whose log is gone, so a busy
// subscription's log does not grow forever. A delivery still being retried is never touched,
// nor its next scheduled attempt.
// A periodic job like the snooze waker: started with the server, stopped before the database
// closes, its state the database alone. Any number of instances may run it side by side: each
// delete re-checks what it deletes.
//
// Work is cut into statements of at most `batchSize` rows with a pause between them, so a first
// run over months of backlog never holds SQLite's one writer (or PostgreSQL's locks) for long.
import type { Deps } from '../../app-deps.ts';
import type { Database } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import { periodicJob, type PeriodicJob } from '../../lib/periodic.ts';
import { deleteOldAttempts, deleteSettledDeliveries, queueRowsAfter, webhookIds } from './retention.repository.ts';

export const RETENTION_INTERVAL_MS = 60 * 60 * 1000;
export const RETENTION_BATCH = 1_000;
const DAY = 86_400;

export interface Pruned {
  deliveries: number;
  attempts: number;
}

export interface PruneOptions {
  retentionDays: number;
  batchSize?: number;
  /** a stopping job leaves between batches */
  shouldContinue?: () => boolean;
}

/** gives the event loop (requests, other jobs) its turn between two batches */
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

/** One pass: everything older than the retention, batch after batch. Resolves with what it deleted. */
export async function pruneWebhookLog(database: Database, clock: Clock, opts: PruneOptions): Promise<Pruned> {
  const before = clock.now() - opts.retentionDays * DAY;
  const batch = opts.batchSize ?? RETENTION_BATCH;
  const more = opts.shouldContinue ?? (() => true);
  const pruned: Pruned = { deliveries: 0, attempts: 0 };

  // The log first, through its index, one subscription at a time.
  for (const webhookId of await webhookIds(database.db)) {
    for (;;) {
      const n = await database.write((trx) => deleteOldAttempts(trx, webhookId, before, batch));
      pruned.attempts += n;
      if (n < batch || !more()) break;
      await pause();
    }
    if (!more()) return pruned;
  }

  // Then the queue, oldest first. Rows are queued in time order (one fan-out at a time), so the
  // walk stops at the first batch that reaches past the retention: a pass reads only the old
  // rows it deletes, the few still pending among them, and one batch more.
  let after = 0;
  while (more()) {
    const rows = await queueRowsAfter(database.db, after, batch);
    const old = rows.filter((r) => r.created_at < before && r.status !== 'pending').map((r) => r.id);
    if (old.length > 0) pruned.deliveries += await database.write((trx) => deleteSettledDeliveries(trx, old, before));
    if (rows.length < batch || rows[rows.length - 1].created_at >= before) break;
    after = rows[rows.length - 1].id;
    await pause();
  }
  return pruned;
}

export interface WebhookRetentionOptions {
  retentionDays: number;
  intervalMs?: number;
  batchSize?: number;
  log?: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

/** a pass at once, then one every `intervalMs` after the previous one ends (lib/periodic.ts) */
export type WebhookRetention = PeriodicJob;

export function createWebhookRetention({ database, clock }: Pick<Deps, 'database' | 'clock'>, opts: WebhookRetentionOptions): WebhookRetention {
  const intervalMs = opts.intervalMs ?? RETENTION_INTERVAL_MS;
  const log = opts.log ?? { info: () => {}, error: (obj: object, msg: string) => console.error(msg, obj) };
  return periodicJob(intervalMs, (shouldContinue) =>
    pruneWebhookLog(database, clock, { retentionDays: opts.retentionDays, batchSize: opts.batchSize, shouldContinue }).then(
      (p) => {
        if (p.deliveries + p.attempts > 0) log.info({ ...p, retentionDays: opts.retentionDays }, 'webhook log pruned');
      },
      // What was not deleted stays old: the next pass deletes it.
      (err: unknown) => log.error({ err }, 'webhook log pruning failed'),
    ),
  );
}
