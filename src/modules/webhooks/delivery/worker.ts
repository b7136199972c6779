// The webhook delivery worker (issue 6 items 2 and 3): a restart-safe background job like the
// snooze waker. It keeps no state of its own but its claims: the outbox, the queue and the
// leases are in the database, so a crash loses nothing (an attempt in flight is made again
// once its lease ends: at least once), and any number of instances can run it side by side
// (each delivery is claimed by one worker at a time).
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { Deps } from '../../../app-deps.ts';
import type { Config } from '../../../config.ts';
import type { CommittedEvent } from '../../../events/outbox.ts';
import { claimDue, releaseClaims, type ClaimedDelivery } from '../deliveries.repository.ts';
import { attempt, recordAttempts, type Attempted, type DeliveryContext } from './attempt.ts';
import { FAN_OUT_BATCH, fanOutIn } from './fan-out.ts';
import { createGuard, type Guard } from '../guard.ts';
import { createSender, type Sender } from './sender.ts';

/** a new event on this instance wakes an idle worker after this long (a burst is one wake-up) */
const WAKE_DELAY_MS = 20;
/** while attempts are in flight, finished ones are recorded at most this often (one commit for many) */
const ROUND_MS = 20;
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface WebhookWorkerOptions {
  config: Pick<Config, 'webhookAllowPrivate' | 'webhookTimeoutMs' | 'webhookConcurrency' | 'webhookPollMs' | 'webhookLeaseSeconds'>;
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
  log?: { error(obj: object, msg: string): void };
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
  const log = opts.log ?? { error: (obj: object, msg: string) => console.error(msg, obj) };
  const sender = opts.sender ?? createSender({ guard: opts.guard ?? createGuard({ allowPrivate: config.webhookAllowPrivate }), timeoutMs: config.webhookTimeoutMs });
  const ctx: DeliveryContext = { clock, sender, owner: randomUUID(), random: opts.random ?? Math.random };
  const inFlight = new Map<number, Promise<unknown>>();
  // One signal for every attempt in flight (each request listens to it while it runs).
  const newAbort = () => {
    const controller = new AbortController();
    setMaxListeners(config.webhookConcurrency + 10, controller.signal);
    return controller;
  };
  let abort = newAbort();
  let active = false;
  let timer: NodeJS.Timeout | null = null;
  let timerDue = 0;
  let running: Promise<unknown> | null = null;
  let woken = false;
  let unsubscribe: (() => void) | null = null;

  /** attempts made and not yet recorded, and the claims of aborted ones */
  const attempted: Attempted[] = [];
  const aborted: number[] = [];

  const launch = (d: ClaimedDelivery) => {
    const running = attempt(ctx, d, abort.signal)
      .then((a) => (a === 'aborted' ? aborted.push(d.id) : attempted.push(a)))
      // An unexpected error: the claim stays until its lease ends, then the delivery is retried.
      .catch((err: unknown) => log.error({ err, delivery: d.id }, 'webhook delivery failed unexpectedly'))
      .finally(() => inFlight.delete(d.id));
    inFlight.set(d.id, running);
  };

  /**
   * One transaction (one commit, however many deliveries it settles): queue new events, record
   * every finished attempt, give back aborted claims, claim what is due. In that order: an
   * event queued as `held` behind its chat's pending one is released by that one's record in
   * the same transaction, and a release can be claimed at once. (PostgreSQL: the fan-out's
   * exclusive queue lock comes before the records' shared one.)
   */
  async function round(fanOutDue: boolean, claim = true) {
    const settled = attempted.splice(0);
    const given = aborted.splice(0);
    const free = claim ? config.webhookConcurrency - inFlight.size : 0;
    if (!fanOutDue && settled.length === 0 && given.length === 0 && free === 0) return { fanned: 0, claimed: [] as ClaimedDelivery[], asked: 0 };
    const now = clock.now();
    try {
      return await database.write(async (trx) => {
        const fanned = fanOutDue ? await fanOutIn(trx, clock) : 0;
        await recordAttempts(trx, ctx, settled);
        await releaseClaims(trx, given, ctx.owner);
        const claimed = free > 0 ? await claimDue(trx, now, free, ctx.owner, now + config.webhookLeaseSeconds) : [];
        return { fanned, claimed, asked: free };
      });
    } catch (err) {
      // Nothing of the round was written: its outcomes wait for the next one (meanwhile their
      // claims may run out, and the deliveries be sent again: at least once, never lost).
      attempted.unshift(...settled);
      aborted.push(...given);
      throw err;
    }
  }

  async function drain(shouldContinue: () => boolean = () => true) {
    let fannedOut = 0;
    let claimed = 0;
    // A round starts because something may have been committed, or retries come due.
    let fanOutDue = true;
    let claimNow = true;
    let lastClaim = 0;
    while (shouldContinue()) {
      // A claim is worth a query only when something may have become claimable: an attempt
      // settled (a slot, the chat's next event), an event arrived, or retries came due.
      if (woken) fanOutDue = claimNow = true;
      if (attempted.length > 0 || Date.now() - lastClaim >= config.webhookPollMs) claimNow = true;
      woken = false;
      const r = await round(fanOutDue, claimNow);
      if (claimNow) lastClaim = Date.now();
      claimNow = r.asked > 0 && r.claimed.length === r.asked; // all it asked for: there may be more
      fanOutDue = r.fanned === FAN_OUT_BATCH; // a full batch: there may be more
      fannedOut += r.fanned;
      claimed += r.claimed.length;
      for (const d of r.claimed) launch(d);
      if (fanOutDue || claimNow) continue;
      if (inFlight.size === 0) {
        if (attempted.length > 0 || woken) continue;
        break;
      }
      // Rounds are paced: finished attempts gather for a few milliseconds (or until all in
      // flight are done), so one commit records many — commits, not queries, are what cost
      // (each is an fsync that holds up every request on SQLite).
      await Promise.race([Promise.all(inFlight.values()), delay(ROUND_MS)]);
    }
    // Stopping, or nothing left: what is in flight finishes (or is aborted) and is written down.
    await Promise.all(inFlight.values());
    if (attempted.length > 0 || aborted.length > 0) await round(false, false).catch((err: unknown) => log.error({ err }, 'webhook round failed'));
    return { fannedOut, attempted: claimed };
  }

  const schedule = (delayMs: number) => {
    timerDue = Date.now() + delayMs;
    timer = setTimeout(tick, delayMs);
    timer.unref(); // never the reason the process stays up
  };
  function tick() {
    timer = null;
    running = drain(() => active)
      .catch((err: unknown) => log.error({ err }, 'webhook worker round failed')) // the queue is intact: the next round retries
      .finally(() => {
        running = null;
        if (active && !timer) schedule(woken ? WAKE_DELAY_MS : config.webhookPollMs);
      });
  }
  const wake = () => {
    woken = true;
    // Only ever brought forward: a stream of events must not keep postponing the round.
    if (active && !running && timer && timerDue > Date.now() + WAKE_DELAY_MS) {
      clearTimeout(timer);
      schedule(WAKE_DELAY_MS);
    }
  };

  return {
    drain: () => drain(),
    start() {
      if (active) return;
      active = true;
      abort = newAbort();
      unsubscribe = opts.onEvent?.((e) => e.webhookPending !== false && wake()) ?? null;
      if (!running) schedule(0);
    },
    async stop() {
      active = false;
      unsubscribe?.();
      if (timer) clearTimeout(timer);
      timer = null;
      abort.abort();
      await running;
      await Promise.all(inFlight.values());
      sender.close();
    },
  };
}
