// SQL of webhook subscriptions and their delivery log as the API reads them (DESIGN rule 5),
// every query scoped by organization. The delivery queue's SQL is in deliveries.repository.ts.
import type { Executor } from '../../db/database.ts';
import type { AttemptStatus, Flag } from '../../db/schema.ts';
import type { Page } from '../../http/pagination.ts';

export interface WebhookRow {
  id: number;
  organization_id: number;
  url: string;
  events: string;
  active: Flag;
  created_at: number;
}

const WEBHOOK_COLUMNS = ['id', 'organization_id', 'url', 'events', 'active', 'created_at'] as const;

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

/** its queue and log go with it (ON DELETE CASCADE) */
export async function deleteWebhook(db: Executor, orgId: number, id: number): Promise<boolean> {
  const r = await db.deleteFrom('webhooks').where('organization_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export interface AttemptRow {
  id: number;
  event_id: string;
  event: string;
  attempt: number;
  status: AttemptStatus;
  response_code: number | null;
  duration_ms: number | null;
  error: string | null;
  created_at: number;
}

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
