// One round of the worker: one transaction (one commit, however many deliveries it settles)
// that queues new events, records every finished attempt, gives back aborted claims and claims
// what is due. In that order: an event queued as `held` behind its chat's pending one is
// released by that one's record in the same transaction, and a release can be claimed at once.
// (PostgreSQL: the fan-out's exclusive queue lock comes before the records' shared one.)
import type { Trx } from '../../../db/database.ts';
import { claimDue, releaseClaims, type ClaimedDelivery } from '../deliveries.repository.ts';
import { recordAttempts, type Attempted, type FailedDelivery } from './attempt.ts';
import { logFailures } from './failure-log.ts';
import { fanOutIn } from './fan-out.ts';
import type { WorkerState } from './worker-state.ts';

export interface RoundResult {
  /** outbox events fanned out */
  fanned: number;
  /** deliveries claimed, to be launched */
  claimed: ClaimedDelivery[];
  /** how many it tried to claim */
  asked: number;
}

/** outcomes of attempts, taken from the worker's state for one round to write */
interface Outcomes {
  settled: Attempted[];
  /** claims of aborted attempts */
  given: number[];
}

/** `claimNow`: whether a claim is worth a query this round (then the free slots are claimed) */
export async function round(w: WorkerState, fanOutDue: boolean, claimNow = true): Promise<RoundResult> {
  const outcomes = takeOutcomes(w);
  const free = claimNow ? freeSlots(w) : 0;
  if (!fanOutDue && outcomes.settled.length === 0 && outcomes.given.length === 0 && free === 0) return { fanned: 0, claimed: [], asked: 0 };
  const now = w.clock.now();
  const failures: FailedDelivery[] = [];
  try {
    const result = await w.database.write(async (trx) => {
      failures.length = 0; // a transaction run again (PostgreSQL's retry) records them again
      const fanned = fanOutDue ? await fanOutIn(trx, w.clock) : 0;
      await record(trx, w, outcomes, failures);
      const claimed = free > 0 ? await claim(trx, w, now, free) : [];
      return { fanned, claimed, asked: free };
    });
    logFailures(w.log, failures); // only now: what is logged is what was committed
    return result;
  } catch (err) {
    // Nothing of the round was written: its outcomes wait for the next one (meanwhile their
    // claims may run out, and the deliveries be sent again: at least once, never lost).
    putBack(w, outcomes);
    throw err;
  }
}

/** whether outcomes wait to be written */
export const outcomesWaiting = (w: WorkerState) => w.attempted.length > 0 || w.aborted.length > 0;

function takeOutcomes(w: WorkerState): Outcomes {
  return { settled: w.attempted.splice(0), given: w.aborted.splice(0) };
}

/** a round that was not written gives its outcomes back, for the next one */
function putBack(w: WorkerState, { settled, given }: Outcomes): void {
  w.attempted.unshift(...settled);
  w.aborted.push(...given);
}

/** record: each finished attempt's outcome, and the aborted attempts' claims given back */
async function record(trx: Trx, w: WorkerState, { settled, given }: Outcomes, failures: FailedDelivery[]): Promise<void> {
  await recordAttempts(trx, w.ctx, settled, failures);
  await releaseClaims(trx, given, w.ctx.owner);
}

/** attempts that may start now */
const freeSlots = (w: WorkerState) => w.config.webhookConcurrency - w.inFlight.size;

/** claim: up to `free` due deliveries, each leased to this worker for webhookLeaseSeconds */
function claim(trx: Trx, w: WorkerState, now: number, free: number): Promise<ClaimedDelivery[]> {
  return claimDue(trx, now, free, w.ctx.owner, now + w.config.webhookLeaseSeconds);
}
