// The worker's sending: each claimed delivery is attempted outside any transaction, up to
// webhookConcurrency at a time, and its outcome waits in the worker's state for the next round
// to record (round.ts): one commit for many.
import type { ClaimedDelivery } from '../deliveries.repository.ts';
import { attempt } from './attempt.ts';
import type { WorkerState } from './worker-state.ts';

/** starts the delivery's attempt; it is in flight until its outcome is kept for recording */
export function launch(w: WorkerState, d: ClaimedDelivery): void {
  const running = attempt(w.ctx, d, w.abort.signal)
    .then((a) => (a === 'aborted' ? w.aborted.push(d.id) : w.attempted.push(a)))
    // An unexpected error: the claim stays until its lease ends, then the delivery is retried.
    .catch((err: unknown) => w.log.error({ err, delivery: d.id }, 'webhook delivery failed unexpectedly'))
    .finally(() => w.inFlight.delete(d.id));
  w.inFlight.set(d.id, running);
}

/** resolves when every attempt in flight now has finished (or been aborted) */
export const allSent = (w: WorkerState) => Promise.all(w.inFlight.values());
