// What an operator reads in the server log about webhooks (issue 18 item 4): one warn line for
// every attempt that failed or was blocked — subscription, event, why, and when it is tried
// again — and an error line when a receiver's 410 disabled its subscription. The URL is not
// logged: it may carry the receiver's credentials; the subscription id finds it.
import { GONE_REASON, type FailedDelivery } from './attempt.ts';
import type { WorkerLog } from './worker-state.ts';

export function logFailures(log: WorkerLog, failures: FailedDelivery[]): void {
  for (const f of failures) {
    log.warn(
      {
        organization: f.organization,
        subscription: f.subscription,
        delivery: f.delivery,
        event: f.event,
        attempt: f.attempt,
        outcome: f.outcome,
        reason: f.reason,
        nextAttempt: f.nextAttemptAt === null ? null : new Date(f.nextAttemptAt * 1000).toISOString(),
      },
      f.nextAttemptAt === null ? `webhook delivery ${f.outcome}, not retried` : `webhook delivery ${f.outcome}, retried later`,
    );
    if (f.disabledSubscription) {
      log.error(
        { organization: f.organization, subscription: f.subscription, reason: GONE_REASON },
        'webhook subscription disabled: nothing more is sent to it until it is enabled again',
      );
    }
  }
}
