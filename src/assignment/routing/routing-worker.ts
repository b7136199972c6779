// The routing worker: a background job like the snooze waker and the webhook worker. Its state
// is the database (routing_jobs), so any number of instances run it side by side and a job due
// while every instance was down runs at the next start. It wakes when this process schedules a
// job, when an event is committed (here or, with Redis, on another instance: a new chat, a
// message, a change of assignee or presence), when the next timer falls due, and at the latest
// every `pollMs` (jobs left by a crashed instance).
import type { Deps } from '../../app-deps.ts';
import type { Database } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import { claimDueJob, nextDueAt } from './jobs.repository.ts';
import { lockRouting } from './facts.repository.ts';
import { runJob } from './jobs.ts';

export const ROUTING_POLL_MS = 5_000;
/** a committed event wakes an idle worker after this long (a burst of events is one wake-up) */
const WAKE_DELAY_MS = 10;

/** Runs every job due at `clock.now()`, one transaction each; resolves with how many ran. */
export async function runDueJobs(database: Database, clock: Clock, shouldContinue: () => boolean = () => true): Promise<number> {
  let ran = 0;
  while (shouldContinue()) {
    const done = await database.write(async (trx) => {
      const job = await claimDueJob(trx, clock.now(), (orgId) => lockRouting(trx, orgId));
      if (job) await runJob(trx, clock, job);
      return job !== undefined;
    });
    if (!done) return ran;
    ran++;
  }
  return ran;
}

export interface RoutingWorkerOptions {
  pollMs?: number;
  /** called with a listener for "an event was committed" (the live hub's subscribe) */
  onEvent?: (listener: () => void) => () => void;
  log?: { error(obj: object, msg: string): void };
}

export interface RoutingWorker {
  start(): void;
  /** no job starts after this; resolves when the one in progress has committed */
  stop(): Promise<void>;
}

interface WorkerState {
  active: boolean;
  timer: NodeJS.Timeout | null;
  running: Promise<void> | null;
  /** an event arrived while a run was going: run again right after it */
  again: boolean;
  unsubscribe: (() => void) | null;
}

export function createRoutingWorker({ database, clock }: Pick<Deps, 'database' | 'clock'>, opts: RoutingWorkerOptions = {}): RoutingWorker {
  const pollMs = opts.pollMs ?? ROUTING_POLL_MS;
  const log = opts.log ?? { error: (obj: object, msg: string) => console.error(msg, obj) };
  const w: WorkerState = { active: false, timer: null, running: null, again: false, unsubscribe: null };

  const schedule = (delayMs: number) => {
    if (w.timer) clearTimeout(w.timer);
    w.timer = setTimeout(run, Math.max(0, delayMs));
    w.timer.unref(); // never the reason the process stays up
  };
  const wake = () => {
    if (!w.active) return;
    if (w.running) w.again = true;
    else schedule(WAKE_DELAY_MS);
  };
  async function untilNextDue(): Promise<number> {
    const due = await nextDueAt(database.db);
    return due === null ? pollMs : Math.min(pollMs, (due - clock.now()) * 1000);
  }
  function run() {
    w.timer = null;
    w.again = false;
    w.running = runDueJobs(database, clock, () => w.active)
      .then(untilNextDue)
      // A failed job stays in the table (its transaction rolled back) and is tried again.
      .catch((err: unknown) => (log.error({ err }, 'routing job failed'), pollMs))
      .then((delayMs) => {
        w.running = null;
        if (w.active) schedule(w.again ? 0 : delayMs);
      });
  }

  return {
    start() {
      if (w.active) return;
      w.active = true;
      const unsubscribe = opts.onEvent?.(wake);
      const { jobsScheduled } = database.signals;
      jobsScheduled.on('scheduled', wake);
      w.unsubscribe = () => {
        unsubscribe?.();
        jobsScheduled.off('scheduled', wake);
      };
      schedule(0);
    },
    async stop() {
      w.active = false;
      w.unsubscribe?.();
      if (w.timer) clearTimeout(w.timer);
      w.timer = null;
      await w.running;
    },
  };
}
