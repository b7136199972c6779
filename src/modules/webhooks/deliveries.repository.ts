// SQL of the webhook delivery queue (DESIGN rule 5), used by the delivery worker
// (delivery/). The worker spans organizations; every row it writes carries the
// organization of the event it delivers.
import { sql } from 'kysely';
import type { Executor, Trx } from '../../db/database.ts';
import { isPostgres } from '../../db/dialect.ts';
import type { DeliveryStatus } from '../../db/schema.ts';
import { ONE, PENDING, ZERO } from './queue-literals.ts';

// Arbitrary constants naming the queue's advisory locks (PostgreSQL) among the database's.
const FAN_OUT_LOCK = 7_146_101;
const QUEUE_LOCK = 7_146_102;
/** rows per INSERT: far below both databases' limits on bound parameters */
const CHUNK = 500;

/**
 * PostgreSQL: one fan-out at a time across instances (the others skip their turn), holding the
 * queue lock exclusively so that no delivery completes meanwhile — a completion that released
 * "the next event of its chat" before a fan-out committed that event would leave it held for
 * ever. SQLite: writes are already serialised.
 */
export async function lockForFanOut(trx: Trx): Promise<boolean> {
  if (!isPostgres(trx)) return true;
  const got = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${FAN_OUT_LOCK}) as ok`.execute(trx);
  if (!got.rows[0]?.ok) return false;
  await sql`select pg_advisory_xact_lock(${QUEUE_LOCK})`.execute(trx);
  return true;
}

/** taken by every completion (shared: completions never wait for each other, only for a fan-out) */
export async function lockForCompletion(trx: Trx): Promise<void> {
  if (isPostgres(trx)) await sql`select pg_advisory_xact_lock_shared(${QUEUE_LOCK})`.execute(trx);
}

export interface OutboxEventRow {
  id: number;
  organization_id: number;
  event: string;
  chat_id: number | null;
  created_at: number;
  webhook_generation: number;
}

/** committed events not yet fanned out, in position order */
export function unfannedEvents(db: Executor, limit: number): Promise<OutboxEventRow[]> {
  return db
    .selectFrom('outbox')
    .select(['id', 'organization_id', 'event', 'chat_id', 'created_at', 'webhook_generation'])
    .where('webhook_pending', '=', ONE)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function markFannedOut(db: Executor, outboxIds: number[]): Promise<void> {
  for (let i = 0; i < outboxIds.length; i += CHUNK) {
    await db.updateTable('outbox').set({ webhook_pending: 0 }).where('id', 'in', outboxIds.slice(i, i + CHUNK)).execute();
  }
}

export function activeWebhooksOf(db: Executor, orgIds: number[]) {
  return db
    .selectFrom('webhooks')
    .select(['id', 'organization_id', 'events', 'since_generation'])
    .where('organization_id', 'in', orgIds)
    .where('active', '=', 1)
    .orderBy('id')
    .execute();
}

/** `webhookId:chatId` of the pairs that already have a pending delivery */
export async function chatsWithPending(db: Executor, webhookIds: number[], chatIds: number[]): Promise<Set<string>> {
  if (webhookIds.length === 0 || chatIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('webhook_deliveries')
    .select(['webhook_id', 'chat_id'])
    .distinct()
    .where('status', '=', PENDING)
    .where('webhook_id', 'in', webhookIds)
    .where('chat_id', 'in', chatIds)
    .execute();
  return new Set(rows.map((r) => `${r.webhook_id}:${r.chat_id}`));
}

export interface NewDelivery {
  organization_id: number;
  webhook_id: number;
  outbox_id: number;
  chat_id: number | null;
  held: 0 | 1;
  next_attempt_at: number;
  created_at: number;
}

/** the queue rows, each with its first attempt's `pending` log row */
export async function insertDeliveries(db: Executor, rows: NewDelivery[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const inserted = await db
      .insertInto('webhook_deliveries')
      .values(chunk.map((r) => ({ ...r, status: 'pending' as const })))
      .returning(['id', 'organization_id', 'webhook_id', 'outbox_id', 'next_attempt_at'])
      .execute();
    await db
      .insertInto('webhook_attempts')
      .values(
        inserted.map((d) => ({
          organization_id: d.organization_id,
          webhook_id: d.webhook_id,
          delivery_id: d.id,
          outbox_id: d.outbox_id,
          attempt: 1,
          status: 'pending' as const,
          created_at: d.next_attempt_at,
        })),
      )
      .execute();
  }
}

export interface ClaimedDelivery {
  id: number;
  organization_id: number;
  webhook_id: number;
  outbox_id: number;
  chat_id: number | null;
  attempts: number;
  last_attempt_at: number | null;
  url: string;
  signing_key: string;
  event_id: string;
  event: string;
  event_data: string;
  event_created_at: number;
}

/**
 * Claims up to `limit` due deliveries for `owner` until `leaseUntil`: each is then attempted by
 * this worker alone. PostgreSQL skips rows another worker is claiming at the same moment
 * (FOR UPDATE SKIP LOCKED); the lease keeps them off other workers once committed. No filter on
 * the subscription being active: a disabled one's queue is cancelled when it is disabled, and
 * the filter would lead SQLite's planner away from the due index.
 */
export async function claimDue(trx: Trx, now: number, limit: number, owner: string, leaseUntil: number): Promise<ClaimedDelivery[]> {
  let due = trx
    .selectFrom('webhook_deliveries')
    .select('id')
    .where('status', '=', PENDING)
    .where('held', '=', ZERO)
    .where('next_attempt_at', '<=', now)
    .where('lease_until', '<=', now)
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(limit);
  if (isPostgres(trx)) due = due.forUpdate().skipLocked();
  const ids = (await due.execute()).map((r) => r.id);
  if (ids.length === 0) return [];
  await trx.updateTable('webhook_deliveries').set({ lease_until: leaseUntil, lease_owner: owner }).where('id', 'in', ids).execute();
  return trx
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
    .innerJoin('organizations as g', 'g.id', 'd.organization_id')
    .innerJoin('outbox as o', 'o.id', 'd.outbox_id')
    .select([
      'd.id', 'd.organization_id', 'd.webhook_id', 'd.outbox_id', 'd.chat_id', 'd.attempts', 'd.last_attempt_at', 'w.url',
      'g.webhook_signing_key as signing_key', 'o.event_id', 'o.event', 'o.event_data', 'o.created_at as event_created_at',
    ])
    .where('d.id', 'in', ids)
    .orderBy('d.next_attempt_at')
    .orderBy('d.id')
    .execute();
}

/** Gives claims back (a stopping worker): attempts not made are not counted. */
export async function releaseClaims(db: Executor, ids: number[], owner: string): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('webhook_deliveries').set({ lease_until: 0, lease_owner: null }).where('id', 'in', ids).where('lease_owner', '=', owner).execute();
}
