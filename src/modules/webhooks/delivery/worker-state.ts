// The webhook worker's state, in one object that each of its parts takes explicitly: timer.ts
// (when a drain runs), drain.ts (rounds until nothing is due), round.ts (one transaction: fan
// out, record, claim) and send.ts (attempts in flight). Nothing here outlives the process: the
// outbox, the queue and the leases are in the database (worker.ts says why that is enough).
import { setMaxListeners } from 'node:events';
import type { Config } from '../../../config.ts';
import type { Database } from '../../../db/database.ts';
import type { Clock } from '../../../lib/clock.ts';
import type { Attempted, DeliveryContext } from './attempt.ts';

export type WorkerConfig = Pick<Config, 'webhookAllowPrivate' | 'webhookTimeoutMs' | 'webhookConcurrency' | 'webhookPollMs' | 'webhookLeaseSeconds'>;

export interface WorkerLog {
  /** a delivery that failed or was blocked (failure-log.ts) */
  warn(obj: object, msg: string): void;
  /** a subscription disabled; a round that could not be written */
  error(obj: object, msg: string): void;
}

/** what the worker is made with; never changes */
export interface WorkerSetup {
  readonly database: Database;
  readonly clock: Clock;
  readonly config: WorkerConfig;
  /** the clock, sender, claim token and jitter every attempt and record uses */
  readonly ctx: DeliveryContext;
  readonly log: WorkerLog;
}

export interface WorkerState extends WorkerSetup {
  // When a drain runs (timer.ts).
  /** between start() and stop() */
  active: boolean;
  /** the next drain, when one is scheduled and none is running */
  timer: NodeJS.Timeout | null;
  /** when `timer` fires (Date.now() ms) */
  timerDue: number;
  /** the drain the timer started, until it ends */
  running: Promise<unknown> | null;
  /** an event arrived since the last round looked */
  woken: boolean;
  /** stops the events that wake the worker */
  unsubscribe: (() => void) | null;

  // Attempts (send.ts, round.ts).
  /** one signal for every attempt in flight: stop() cuts them short */
  abort: AbortController;
  /** attempts being made, by delivery id */
  readonly inFlight: Map<number, Promise<unknown>>;
  /** attempts made and not yet recorded */
  readonly attempted: Attempted[];
  /** the claims of aborted attempts, not yet given back */
  readonly aborted: number[];
}

export function createWorkerState(setup: WorkerSetup): WorkerState {
  return {
    ...setup,
    active: false,
    timer: null,
    timerDue: 0,
    running: null,
    woken: false,
    unsubscribe: null,
    abort: newAbort(setup.config.webhookConcurrency),
    inFlight: new Map(),
    attempted: [],
    aborted: [],
  };
}

/** a fresh signal for the attempts from now on (each request listens to it while it runs) */
export function newAbort(concurrency: number): AbortController {
  const controller = new AbortController();
  setMaxListeners(concurrency + 10, controller.signal);
  return controller;
}
