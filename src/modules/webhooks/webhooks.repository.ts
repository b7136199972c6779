// SQL of webhook subscriptions and their delivery log as the API reads them (DESIGN rule 5),
// every query scoped by organization. The delivery queue's SQL is in deliveries.repository.ts.
import type { Selectable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { OutboxTable, WebhookAttemptTable, WebhookTable } from '../../db/schema.ts';
import type { Page } from '../../input/pagination.ts';

const WEBHOOK_COLUMNS = ['id', 'organization_id', 'url', 'events', 'active', 'created_at'] as const;

export type WebhookRow = Pick<Selectable<WebhookTable>, (typeof WEBHOOK_COLUMNS)[number]>;

export function insertWebhook(
  db: Executor,
  row: { orgId: number; url: string; events: string[]; createdAt: number; sinceGeneration: number },
): Promise<WebhookRow> {
  return db
    .insertInto('webhooks')
    .values({
      organization_id: row.orgId, url: row.url, events: JSON.stringify(row.events), active: 1, created_at: row.createdAt, since_generation: row.sinceGeneration,
    })
    .returning(WEBHOOK_COLUMNS)
    .executeTakeFirstOrThrow();
}

export function findWebhook(db: Executor, orgId: number, id: number): Promise<WebhookRow | undefined> {
  return db.selectFrom('webhooks').select(WEBHOOK_COLUMNS).where('organization_id', '=', orgId).where('id', '=', id).executeTakeFirst();
}

/** oldest first (ordered by id: a total order, API.md §1) */
export function listWebhooks(db: Executor, orgId: number, page: Page): Promise<WebhookRow[]> {
  return db
    .selectFrom('webhooks')
    .select(WEBHOOK_COLUMNS)
    .where('organization_id', '=', orgId)
    .orderBy('id')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
}

export async function countWebhooks(db: Executor, orgId: number): Promise<number> {
  const r = await db.selectFrom('webhooks').select((eb) => eb.fn.countAll<number>().as('n')).where('organization_id', '=', orgId).executeTakeFirstOrThrow();
  return Number(r.n);
}

const OPERATOR_COLUMNS = [...WEBHOOK_COLUMNS, 'disabled_at', 'disabled_reason'] as const;

/** a subscription with why it is disabled, as an operator sees it (`handoff webhook list`) */
export type OperatorWebhookRow = Pick<Selectable<WebhookTable>, (typeof OPERATOR_COLUMNS)[number]>;

export function findWebhookForOperator(db: Executor, orgId: number, id: number): Promise<OperatorWebhookRow | undefined> {
  return db.selectFrom('webhooks').select(OPERATOR_COLUMNS).where('organization_id', '=', orgId).where('id', '=', id).executeTakeFirst();
}

/** every subscription of the organization, oldest first */
export function listWebhooksForOperator(db: Executor, orgId: number): Promise<OperatorWebhookRow[]> {
  return db.selectFrom('webhooks').select(OPERATOR_COLUMNS).where('organization_id', '=', orgId).orderBy('id').execute();
}

/**
 * Active again, as if subscribed now: it gets the events written under `sinceGeneration` or later
 * (events/webhook-interest.ts says why a re-activated subscription is changed like a new one).
 */
export async function reactivateWebhook(db: Executor, orgId: number, id: number, sinceGeneration: number): Promise<void> {
  await db
    .updateTable('webhooks')
    .set({ active: 1, disabled_at: null, disabled_reason: null, since_generation: sinceGeneration })
    .where('organization_id', '=', orgId)
    .where('id', '=', id)
    .execute();
}

/** its queue and log go with it (ON DELETE CASCADE) */
export async function deleteWebhook(db: Executor, orgId: number, id: number): Promise<boolean> {
  const r = await db.deleteFrom('webhooks').where('organization_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** a delivery-log entry: the attempt, and which event it carried */
export type AttemptRow = Pick<Selectable<WebhookAttemptTable>, 'id' | 'attempt' | 'status' | 'response_code' | 'duration_ms' | 'error' | 'created_at'> &
  Pick<Selectable<OutboxTable>, 'event_id' | 'event'>;

/** a subscription's delivery log, newest first; ties by id, newest first (API.md §5) */
export function listAttempts(db: Executor, orgId: number, webhookId: number, page: Page): Promise<AttemptRow[]> {
  return db
    .selectFrom('webhook_attempts as a')
    .innerJoin('outbox as o', 'o.id', 'a.outbox_id')
    .select(['a.id', 'o.event_id', 'o.event', 'a.attempt', 'a.status', 'a.response_code', 'a.duration_ms', 'a.error', 'a.created_at'])
    .where('a.organization_id', '=', orgId)
    .where('a.webhook_id', '=', webhookId)
    .orderBy('a.created_at', 'desc')
    .orderBy('a.id', 'desc')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
}

export async function countAttempts(db: Executor, orgId: number, webhookId: number): Promise<number> {
  const r = await db
    .selectFrom('webhook_attempts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organization_id', '=', orgId)
    .where('webhook_id', '=', webhookId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
