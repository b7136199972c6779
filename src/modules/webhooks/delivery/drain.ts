// The worker's loop: rounds (round.ts) one after another until nothing due is left, or the
// worker stops. A round's queries are only made when they may find something, and rounds are
// paced so that one commit records many attempts.
import { FAN_OUT_BATCH } from './fan-out.ts';
import { outcomesWaiting, round } from './round.ts';
import { allSent, launch } from './send.ts';
import type { WorkerState } from './worker-state.ts';

/** while attempts are in flight, finished ones are recorded at most this often (one commit for many) */
const ROUND_MS = 20;
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** what one drain has still to do, and has done */
interface DrainProgress {
  fanOutDue: boolean;
  claimNow: boolean;
  /** when it last claimed (Date.now() ms) */
  lastClaim: number;
  fannedOut: number;
  claimed: number;
}

/** fans out, then attempts everything due now until nothing due is left or `shouldContinue` says stop */
export async function drain(w: WorkerState, shouldContinue: () => boolean = () => true): Promise<{ fannedOut: number; attempted: number }> {
  // A drain starts because something may have been committed, or retries come due.
  const p: DrainProgress = { fanOutDue: true, claimNow: true, lastClaim: 0, fannedOut: 0, claimed: 0 };
  while (shouldContinue()) {
    await step(w, p);
    if (p.fanOutDue || p.claimNow) continue;
    if (w.inFlight.size === 0) {
      if (w.attempted.length > 0 || w.woken) continue;
      break;
    }
    // Rounds are paced: finished attempts gather for a few milliseconds (or until all in
    // flight are done), so one commit records many — commits, not queries, are what cost
    // (each is an fsync that holds up every request on SQLite).
    await Promise.race([allSent(w), delay(ROUND_MS)]);
  }
  // Stopping, or nothing left: what is in flight finishes (or is aborted) and is written down.
  await allSent(w);
  if (outcomesWaiting(w)) await round(w, false, false).catch((err: unknown) => w.log.error({ err }, 'webhook round failed'));
  return { fannedOut: p.fannedOut, attempted: p.claimed };
}

/** one round, with what is worth doing in it; launches what it claimed */
async function step(w: WorkerState, p: DrainProgress): Promise<void> {
  // A claim is worth a query only when something may have become claimable: an attempt
  // settled (a slot, the chat's next event), an event arrived, or retries came due.
  if (w.woken) p.fanOutDue = p.claimNow = true;
  if (w.attempted.length > 0 || Date.now() - p.lastClaim >= w.config.webhookPollMs) p.claimNow = true;
  w.woken = false;
  const r = await round(w, p.fanOutDue, p.claimNow);
  if (p.claimNow) p.lastClaim = Date.now();
  p.claimNow = r.asked > 0 && r.claimed.length === r.asked; // all it asked for: there may be more
  p.fanOutDue = r.fanned === FAN_OUT_BATCH; // a full batch: there may be more
  p.fannedOut += r.fanned;
  p.claimed += r.claimed.length;
  for (const d of r.claimed) launch(w, d);
}
