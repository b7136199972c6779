// The webhook delivery worker (issue 6 items 2 and 3): a restart-safe background job like the
// snooze waker. It keeps no state of its own but its claims: the outbox, the queue and the
// leases are in the database, so a crash loses nothing (an attempt in flight is made again
// once its lease ends: at least once), and any number of instances can run it side by side
// (each delivery is claimed by one worker at a time).
//
// Its parts share one WorkerState (worker-state.ts): timer.ts says when it drains, drain.ts
// runs rounds until nothing is due, round.ts is one round's transaction (fan out, record,
// claim), send.ts makes the attempts in between.
import { randomUUID } from 'node:crypto';
import type { Deps } from '../../../app-deps.ts';
import type { CommittedEvent } from '../../../events/outbox.ts';
import { createGuard, type Guard } from '../guard.ts';
import type { DeliveryContext } from './attempt.ts';
import { drain } from './drain.ts';
import { allSent } from './send.ts';
import { createSender, type Sender } from './sender.ts';
import { cancelDrain, scheduleDrain, wake } from './timer.ts';
import { createWorkerState, newAbort, type WorkerConfig, type WorkerLog, type WorkerState } from './worker-state.ts';

export interface WebhookWorkerOptions {
  config: WorkerConfig;
  /** tests: a guard with a fake resolver */
  guard?: Guard;
  sender?: Sender;
  /** jitter source, [0, 1) */
  random?: () => number;
  /**
   * called with a listener for "an event was committed" (the live hub's subscribe); an event
   * that no subscription wanted (`webhookPending: false`) does not wake the worker
   */
  onEvent?: (listener: (e: Pick<CommittedEvent, 'webhookPending'>) => void) => () => void;
  log?: WorkerLog;
}

export interface WebhookWorker {
  /** runs at once, then again whenever events arrive or `webhookPollMs` after it went idle */
  start(): void;
  /** no claim after this; attempts in flight are cut short and their claims given back */
  stop(): Promise<void>;
  /** fans out, then attempts everything due now until nothing due is left (tests and the loop) */
  drain(): Promise<{ fannedOut: number; attempted: number }>;
}

export function createWebhookWorker({ database, clock }: Pick<Deps, 'database' | 'clock'>, opts: WebhookWorkerOptions): WebhookWorker {
  const { config } = opts;
  // Without a log (some tests), failed deliveries are not reported; errors still are.
  const log = opts.log ?? { warn: () => {}, error: (obj: object, msg: string) => console.error(msg, obj) };
  const sender = opts.sender ?? createSender({ guard: opts.guard ?? createGuard({ allowPrivate: config.webhookAllowPrivate }), timeoutMs: config.webhookTimeoutMs });
  const ctx: DeliveryContext = { clock, sender, owner: randomUUID(), random: opts.random ?? Math.random };
  const w = createWorkerState({ database, clock, config, ctx, log });
  return {
    drain: () => drain(w),
    start: () => start(w, opts.onEvent),
    stop: () => stop(w),
  };
}

function start(w: WorkerState, onEvent: WebhookWorkerOptions['onEvent']): void {
  if (w.active) return;
  w.active = true;
  w.abort = newAbort(w.config.webhookConcurrency);
  w.unsubscribe = onEvent?.((e) => e.webhookPending !== false && wake(w)) ?? null;
  if (!w.running) scheduleDrain(w, 0);
}

async function stop(w: WorkerState): Promise<void> {
  w.active = false;
  w.unsubscribe?.();
  cancelDrain(w);
  w.abort.abort();
  await w.running;
  await allSent(w);
  w.ctx.sender.close();
}
