// One claimed delivery: build and sign the body, attempt it, and record the outcome (issue 6
// item 2). The attempt happens outside any transaction; only its outcome is written, and only
// while this worker still holds the claim.
import type { Trx } from '../../../db/database.ts';
import type { DeliveryStatus } from '../../../db/schema.ts';
import type { Clock } from '../../../lib/clock.ts';
import { lockForCompletion, type ClaimedDelivery } from '../deliveries.repository.ts';
import {
  disableWebhook,
  releaseNextOfChat,
  settleDelivery,
  webhookIsActive,
  writeAttempt,
} from '../delivery-outcomes.repository.ts';
import { lockInterest, saveInterest } from '../interest.repository.ts';
import { webhookBody } from '../webhooks.presenter.ts';
import type { AttemptOutcome, Sender } from './sender.ts';
import { retryDelay } from './retry-schedule.ts';
import { signedHeaders } from './signing.ts';

export interface DeliveryContext {
  clock: Clock;
  sender: Sender;
  /** this worker's claim token */
  owner: string;
  /** jitter source, [0, 1) */
  random: () => number;
}

/** what became of a recorded attempt */
export type Settled = 'recorded' | 'lost';

/**
 * A recorded attempt that did not deliver, for the server log (issue 18: an operator sees every
 * failed or blocked delivery without reading the API's delivery log). Logged by the worker once
 * the round that recorded it has committed (round.ts), so a round written again logs it once.
 */
export interface FailedDelivery {
  organization: number;
  subscription: number;
  delivery: number;
  event: string;
  attempt: number;
  outcome: 'failed' | 'blocked';
  reason: string | null;
  /** when it is tried again (UNIX seconds); null: it is not */
  nextAttemptAt: number | null;
  /** this attempt's 410 disabled the subscription */
  disabledSubscription: boolean;
}

export const GONE_REASON = 'the receiver answered 410 Gone';

/** an attempt made, waiting to be recorded */
export interface Attempted {
  delivery: ClaimedDelivery;
  startedAt: number;
  outcome: AttemptOutcome;
}

/**
 * Makes one attempt; writes nothing (the worker records attempts in batches: one commit for
 * many). 'aborted' when the worker is stopping: the attempt does not count.
 */
export async function attempt(ctx: DeliveryContext, d: ClaimedDelivery, signal: AbortSignal): Promise<Attempted | 'aborted'> {
  const startedAt = ctx.clock.now();
  const event = { eventId: d.event_id, event: d.event, eventDataJson: d.event_data, createdAt: d.event_created_at };
  const body = webhookBody(event, d.attempts, d.last_attempt_at);
  const headers = signedHeaders(d.event_id, startedAt, body, d.signing_key);
  try {
    return { delivery: d, startedAt, outcome: await ctx.sender.send(d.url, body, headers, signal) };
  } catch (err) {
    if (signal.aborted) return 'aborted';
    throw err;
  }
}

/**
 * Records finished attempts inside the caller's transaction (the worker's round), each only
 * while this worker still holds its claim: an attempt whose lease ran out (another worker took
 * over) is not written, and counts as 'lost'.
 */
export async function recordAttempts(trx: Trx, ctx: DeliveryContext, attempts: Attempted[], failures: FailedDelivery[] = []): Promise<Settled[]> {
  if (attempts.length === 0) return [];
  await lockForCompletion(trx);
  // A 410 disables its subscription, which changes its organization's interest: those rows are
  // locked before any delivery row is touched, in id order. A subscription's DELETE takes the
  // organization row, then its deliveries; locking in the other order deadlocks with it on
  // PostgreSQL (and PostgreSQL answers one side with an error).
  const goneOrgs = new Set(attempts.filter((a) => isGone(a.outcome)).map((a) => a.delivery.organization_id));
  const generations = new Map<number, number>();
  for (const orgId of [...goneOrgs].sort((a, b) => a - b)) generations.set(orgId, await lockInterest(trx, orgId));
  const settled: Settled[] = [];
  for (const a of attempts) settled.push(await recordOne(trx, ctx, a, generations, failures));
  return settled;
}

const isGone = (outcome: AttemptOutcome) => outcome.responseCode === 410;

/**
 * `generations`: the locked interest generation of each organization with a 410 in the round;
 * `failures` gets the attempt when it did not deliver.
 */
async function recordOne(
  trx: Trx,
  ctx: DeliveryContext,
  { delivery: d, startedAt, outcome }: Attempted,
  generations: Map<number, number>,
  failures: FailedDelivery[],
): Promise<Settled> {
  const n = d.attempts + 1; // this attempt's number
  const gone = isGone(outcome);
  const now = ctx.clock.now();
  const failed = outcome.status !== 'delivered';
  // Disabled meanwhile (another delivery of it got 410): no retry.
  const disabled = failed && !gone && !(await webhookIsActive(trx, d.webhook_id));
  const delay = !failed || gone || disabled ? null : retryDelay(n, ctx.random);
  const status: DeliveryStatus = outcome.status === 'delivered' ? 'delivered' : delay === null ? 'failed' : 'pending';
  const nextAttemptAt = delay === null ? undefined : now + delay;
  // 410 disables the subscription, which changes what its organization's events are written
  // with: recordAttempts locked the organization row first, as every change of subscriptions does.
  const generation = gone ? generations.get(d.organization_id)! : 0;
  if (!(await settleDelivery(trx, d.id, ctx.owner, { status, attempts: n, lastAttemptAt: startedAt, nextAttemptAt }))) return 'lost';
  let error = outcome.error;
  if (gone) error = `HTTP 410: ${GONE_REASON}; the subscription is disabled`;
  else if (disabled) error = `${error}; not retried: the subscription is disabled`;
  else if (status === 'failed') error = `${error}; gave up after ${n} attempts`;
  await writeAttempt(trx, d, n, { status: outcome.status, responseCode: outcome.responseCode, durationMs: outcome.durationMs, error, at: startedAt });
  if (nextAttemptAt !== undefined) {
    await writeAttempt(trx, d, n + 1, { status: 'pending', responseCode: null, durationMs: null, error: null, at: nextAttemptAt });
  } else if (gone) {
    await disableWebhook(trx, d.webhook_id, now, GONE_REASON);
    await saveInterest(trx, d.organization_id, generation);
  } else if (d.chat_id !== null) {
    // Settled either way (delivered or given up): the chat's next event may go.
    await releaseNextOfChat(trx, d.webhook_id, d.chat_id);
  }
  if (outcome.status !== 'delivered') {
    failures.push({
      organization: d.organization_id, subscription: d.webhook_id, delivery: d.id, event: d.event, attempt: n,
      outcome: outcome.status, reason: error, nextAttemptAt: nextAttemptAt ?? null, disabledSubscription: gone,
    });
  }
  return 'recorded';
}
