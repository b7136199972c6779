// When the worker drains: at start, then `webhookPollMs` after each drain ends (retries come
// due without any event), or soon after a new event on this instance wakes it. The timer is only
// set while none of its drains runs, so they never overlap.
import { drain } from './drain.ts';
import type { WorkerState } from './worker-state.ts';

/** a new event on this instance wakes an idle worker after this long (a burst is one wake-up) */
const WAKE_DELAY_MS = 20;

/** the next drain in `delayMs` */
export function scheduleDrain(w: WorkerState, delayMs: number): void {
  w.timerDue = Date.now() + delayMs;
  w.timer = setTimeout(() => runDrain(w), delayMs);
  w.timer.unref(); // never the reason the process stays up
}

function runDrain(w: WorkerState): void {
  w.timer = null;
  w.running = drain(w, () => w.active)
    .catch((err: unknown) => w.log.error({ err }, 'webhook worker round failed')) // the queue is intact: the next round retries
    .finally(() => {
      w.running = null;
      if (w.active && !w.timer) scheduleDrain(w, w.woken ? WAKE_DELAY_MS : w.config.webhookPollMs);
    });
}

/** an event some subscription wants was committed on this instance */
export function wake(w: WorkerState): void {
  w.woken = true;
  // Only ever brought forward: a stream of events must not keep postponing the round.
  if (w.active && !w.running && w.timer && w.timerDue > Date.now() + WAKE_DELAY_MS) {
    clearTimeout(w.timer);
    scheduleDrain(w, WAKE_DELAY_MS);
  }
}

/** no drain is scheduled after this (one running ends by itself: it checks `active`) */
export function cancelDrain(w: WorkerState): void {
  if (w.timer) clearTimeout(w.timer);
  w.timer = null;
}
