// Snoozed chats wake up (issue 3): every few seconds, chats whose `snoozedUntil` has passed
// get it cleared and a `chat.unsnoozed` event, in the same transaction. The job keeps no
// state of its own — the database is its state — so a snooze that passed while the server
// was down is woken by the first run after start (which runs at once). With several
// instances each runs the job; the guarded update gives every wake-up exactly one event.
import type { Deps } from '../../app-deps.ts';
import type { Database } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import { periodicJob, type PeriodicJob } from '../../lib/periodic.ts';
import { readChat } from './chat-reader.ts';
import { appendChatEvents } from './chat-changes.service.ts';
import { dueSnoozes, wakeChat } from './chat-changes.repository.ts';

export const SNOOZE_WAKE_INTERVAL_MS = 5_000;
/** chats woken per transaction: keeps each write short so requests are not held up behind it */
export const SNOOZE_WAKE_BATCH = 100;

/**
 * Wakes every chat due at `clock.now()`, in batches of `batchSize` (one transaction each),
 * across all organizations; each event carries its chat's own organization. Resolves with the
 * number woken. `shouldContinue` lets a stopping job leave between batches.
 */
export async function wakeDueSnoozes(
  database: Database,
  clock: Clock,
  batchSize = SNOOZE_WAKE_BATCH,
  shouldContinue: () => boolean = () => true,
): Promise<number> {
  let woken = 0;
  for (;;) {
    const batch = await database.write(async (trx) => {
      const now = clock.now();
      const due = await dueSnoozes(trx, now, batchSize);
      let n = 0;
      for (const { organization_id: orgId, id } of due) {
        if (!(await wakeChat(trx, orgId, id, now))) continue;
        await appendChatEvents(trx, orgId, await readChat(trx, orgId, id), ['chat.unsnoozed'], now);
        n++;
      }
      return { found: due.length, woken: n };
    });
    woken += batch.woken;
    // A short batch means nothing else was due at that moment.
    if (batch.found < batchSize || !shouldContinue()) return woken;
  }
}

export interface SnoozeWakerOptions {
  intervalMs?: number;
  batchSize?: number;
  log?: { error(obj: object, msg: string): void };
}

/** runs at once, then every `intervalMs` after the previous run ends (lib/periodic.ts) */
export type SnoozeWaker = PeriodicJob;

export function createSnoozeWaker({ database, clock }: Pick<Deps, 'database' | 'clock'>, opts: SnoozeWakerOptions = {}): SnoozeWaker {
  const intervalMs = opts.intervalMs ?? SNOOZE_WAKE_INTERVAL_MS;
  const log = opts.log ?? { error: (obj: object, msg: string) => console.error(msg, obj) };
  return periodicJob(intervalMs, (shouldContinue) =>
    wakeDueSnoozes(database, clock, opts.batchSize, shouldContinue).then(
      () => undefined,
      // A failed run (e.g. the database busy) is retried by the next one: the chats stay due.
      (err: unknown) => log.error({ err }, 'snooze wake-up failed'),
    ),
  );
}
