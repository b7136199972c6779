// Webhook subscriptions and their delivery log (issue 6 item 1, API.md §4.6, §4.8): the use
// cases behind /v1/webhooks and `handoff webhook add|list|pause|resume|remove`.
import type { Database, Executor, Trx } from '../../db/database.ts';
import { Invalid, NotFound } from '../../errors.ts';
import type { Page } from '../../input/pagination.ts';
import type { Clock } from '../../lib/clock.ts';
import { requireOrganization } from '../organizations/require-organization.ts';
import { type Guard, UrlRefused } from './guard.ts';
import { disableWebhook } from './delivery-outcomes.repository.ts';
import { lockInterest, saveInterest } from './interest.repository.ts';
import { presentAttempt, presentWebhook, presentWebhookForOperator } from './webhooks.presenter.ts';
import * as repo from './webhooks.repository.ts';
import type { WebhookInput } from './webhooks.schema.ts';

/**
 * A new subscription. The SSRF guard vets the URL's address now (400 naming `url`), and again
 * before every delivery, since what a name resolves to can change.
 */
export async function createWebhook(database: Database, clock: Clock, guard: Guard, orgId: number, input: WebhookInput) {
  const url = input.url!; // required: the parser refuses absent, null and ""
  try {
    await guard.vet(url);
  } catch (err) {
    if (err instanceof UrlRefused) throw Invalid.field('url', err.message);
    throw err;
  }
  return database.write((trx) => addSubscription(trx, clock, orgId, url, input.events));
}

/**
 * The subscription's rows, in the caller's transaction: it gets every event committed after
 * this transaction, and none committed before (a new generation; events/
 * webhook-interest.ts argues why a concurrent write cannot slip between).
 */
export async function addSubscription(trx: Trx, clock: Clock, orgId: number, url: string, events: string[]) {
  await requireOrganization(trx, orgId); // the CLI names organizations by id
  const generation = (await lockInterest(trx, orgId)) + 1;
  const row = await repo.insertWebhook(trx, { orgId, url, events, createdAt: clock.now(), sinceGeneration: generation });
  await saveInterest(trx, orgId, generation);
  return presentWebhook(row);
}

export async function listWebhooks(db: Executor, orgId: number, page: Page) {
  const [rows, total] = await Promise.all([repo.listWebhooks(db, orgId, page), repo.countWebhooks(db, orgId)]);
  return { data: rows.map(presentWebhook), total };
}

export async function getWebhook(db: Executor, orgId: number, id: number) {
  const row = await repo.findWebhook(db, orgId, id);
  if (!row) throw new NotFound('Webhook', id);
  return presentWebhook(row);
}

/**
 * Deleting stops deliveries at once: pending ones and the log go with the subscription, and
 * events nobody else wants are no longer pending.
 */
export function deleteWebhook(database: Database, orgId: number, id: number) {
  return database.write(async (trx) => {
    const generation = await lockInterest(trx, orgId);
    const row = await repo.findWebhook(trx, orgId, id);
    if (!row || !(await repo.deleteWebhook(trx, orgId, id))) throw new NotFound('Webhook', id);
    await saveInterest(trx, orgId, generation);
    return presentWebhook(row);
  });
}

export async function listDeliveries(db: Executor, orgId: number, webhookId: number, page: Page) {
  await getWebhook(db, orgId, webhookId);
  const [rows, total] = await Promise.all([repo.listAttempts(db, orgId, webhookId, page), repo.countAttempts(db, orgId, webhookId)]);
  return { data: rows.map(presentAttempt), total };
}

/** `disabledReason` of a subscription paused by `handoff webhook pause` */
export const PAUSED_REASON = 'paused by an operator';

/** `handoff webhook list`: every subscription, with why a disabled one is */
export async function listWebhooksForOperator(db: Executor, orgId: number) {
  await requireOrganization(db, orgId);
  return (await repo.listWebhooksForOperator(db, orgId)).map(presentWebhookForOperator);
}

async function operatorView(db: Executor, orgId: number, id: number) {
  const row = await repo.findWebhookForOperator(db, orgId, id);
  if (!row) throw new NotFound('Webhook', id);
  return presentWebhookForOperator(row);
}

/**
 * `handoff webhook pause`: the subscription is disabled the way a 410 from its receiver disables
 * it (delivery-outcomes.repository.ts): what it still had queued is cancelled and its events are
 * no longer wanted for it. `changed` is false when it was disabled already (its reason stays).
 */
export function pauseWebhook(database: Database, clock: Clock, orgId: number, id: number) {
  return database.write(async (trx) => {
    const generation = await lockInterest(trx, orgId); // before any other statement (interest.repository.ts)
    await requireOrganization(trx, orgId);
    const before = await operatorView(trx, orgId, id);
    if (before.active) {
      await disableWebhook(trx, id, clock.now(), PAUSED_REASON);
      await saveInterest(trx, orgId, generation);
    }
    return { webhook: await operatorView(trx, orgId, id), changed: before.active };
  });
}

/**
 * `handoff webhook resume`: active again, whether an operator paused it or a 410 disabled it. It
 * gets the events committed from now on, as a new subscription would: none of those written while
 * it was disabled (nothing queued them for it). `changed` is false when it was active already.
 */
export function resumeWebhook(database: Database, orgId: number, id: number) {
  return database.write(async (trx) => {
    const generation = (await lockInterest(trx, orgId)) + 1;
    await requireOrganization(trx, orgId);
    const before = await operatorView(trx, orgId, id);
    if (!before.active) {
      await repo.reactivateWebhook(trx, orgId, id, generation);
      await saveInterest(trx, orgId, generation);
    }
    return { webhook: await operatorView(trx, orgId, id), changed: !before.active };
  });
}
