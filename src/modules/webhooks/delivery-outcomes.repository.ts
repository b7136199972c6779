// SQL of a delivery attempt's outcome (DESIGN rule 5): the queue row settled, the attempt
// logged, the chat's next event released, or the subscription disabled (410). Used by the
// delivery worker (delivery/attempt.ts) inside its round's transaction.
import type { Executor } from '../../db/database.ts';
import { prepared } from '../../db/prepared.ts';
import type { AttemptStatus, DeliveryStatus } from '../../db/schema.ts';
import { ONE, PENDING } from './queue-literals.ts';

// The per-attempt statements below are compiled once (db/prepared.ts): building a Kysely query
// costs about as much as SQLite running it, and they run for every delivery.
const settleQuery = prepared((db, status: string, attempts: number, lastAttemptAt: number, nextAttemptAt: number, id: number, owner: string) =>
  db
    .updateTable('webhook_deliveries')
    .set({ status: status as DeliveryStatus, attempts, last_attempt_at: lastAttemptAt, next_attempt_at: nextAttemptAt, lease_until: 0, lease_owner: null })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .where('status', '=', PENDING),
);

/**
 * Records an attempt on the queue row, only while `owner` still holds the claim (a worker whose
 * lease ran out must not overwrite the one that took over). False when it no longer does.
 * `nextAttemptAt` matters only while the row stays pending.
 */
export async function settleDelivery(
  db: Executor,
  id: number,
  owner: string,
  v: { status: DeliveryStatus; attempts: number; lastAttemptAt: number; nextAttemptAt?: number },
): Promise<boolean> {
  const r = await settleQuery(db, v.status, v.attempts, v.lastAttemptAt, v.nextAttemptAt ?? v.lastAttemptAt, id, owner);
  return Number(r.numAffectedRows ?? 0) > 0;
}

export interface AttemptValues {
  status: AttemptStatus;
  responseCode: number | null;
  durationMs: number | null;
  error: string | null;
  at: number;
}

const fillAttemptQuery = prepared((db, status: string, code: number | null, ms: number | null, error: string | null, at: number, deliveryId: number, attempt: number) =>
  db
    .updateTable('webhook_attempts')
    .set({ status: status as AttemptStatus, response_code: code, duration_ms: ms, error, created_at: at })
    .where('delivery_id', '=', deliveryId)
    .where('attempt', '=', attempt),
);

/** fills in the attempt's `pending` log row (written when it was scheduled), or writes one */
export async function writeAttempt(db: Executor, d: { id: number; organization_id: number; webhook_id: number; outbox_id: number }, attempt: number, v: AttemptValues) {
  const r = await fillAttemptQuery(db, v.status, v.responseCode, v.durationMs, v.error, v.at, d.id, attempt);
  if (Number(r.numAffectedRows ?? 0) > 0) return;
  await db
    .insertInto('webhook_attempts')
    .values({
      organization_id: d.organization_id, webhook_id: d.webhook_id, delivery_id: d.id, outbox_id: d.outbox_id, attempt,
      status: v.status, response_code: v.responseCode, duration_ms: v.durationMs, error: v.error, created_at: v.at,
    })
    .execute();
}

const releaseNextQuery = prepared((db, webhookId: number, chatId: number) =>
  db
    .updateTable('webhook_deliveries')
    .set({ held: 0 })
    .where('held', '=', ONE)
    .where('id', '=', (eb) =>
      eb
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('webhook_id', '=', webhookId)
        .where('chat_id', '=', chatId)
        .where('status', '=', PENDING)
        .orderBy('outbox_id')
        .limit(1),
    ),
);

/** lets the next pending event of the chat to the subscription be claimed */
export async function releaseNextOfChat(db: Executor, webhookId: number, chatId: number): Promise<void> {
  await releaseNextQuery(db, webhookId, chatId);
}

export async function webhookIsActive(db: Executor, webhookId: number): Promise<boolean> {
  const row = await db.selectFrom('webhooks').select('active').where('id', '=', webhookId).executeTakeFirst();
  return row?.active === 1;
}

/**
 * 410 Gone: the subscription stops; what it still had queued is cancelled, and said so in the
 * log. Deliveries in flight elsewhere (claimed past `at`) record their own outcome.
 */
export async function disableWebhook(db: Executor, webhookId: number, at: number, reason: string): Promise<void> {
  await db.updateTable('webhooks').set({ active: 0, disabled_at: at, disabled_reason: reason }).where('id', '=', webhookId).execute();
  const cancelled = db
    .selectFrom('webhook_deliveries')
    .select('id')
    .where('webhook_id', '=', webhookId)
    .where('status', '=', PENDING)
    .where('lease_until', '<=', at);
  await db
    .updateTable('webhook_attempts')
    .set({ status: 'failed', error: `not attempted: ${reason}`, created_at: at })
    .where('status', '=', 'pending')
    .where('delivery_id', 'in', cancelled)
    .execute();
  await db
    .updateTable('webhook_deliveries')
    .set({ status: 'cancelled', lease_until: 0, lease_owner: null })
    .where('webhook_id', '=', webhookId)
    .where('status', '=', PENDING)
    .where('lease_until', '<=', at)
    .execute();
}
