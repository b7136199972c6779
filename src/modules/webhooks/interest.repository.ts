// SQL of a change of an organization's webhook interest (DESIGN rule 5): every change of its
// subscriptions (create, delete, a 410 disabling one) takes `lockInterest` before any other
// statement and ends with `saveInterest`. events/webhook-interest.ts holds the column's format
// and the outbox's read of it, and argues why that order lets no subscription miss an event
// committed after it.
import type { Trx } from '../../db/database.ts';
import { isPostgres } from '../../db/dialect.ts';
import { interestOf } from '../../events/webhook-interest.ts';

/**
 * Locks the organization's webhook interest against every outbox insert of the organization
 * (PostgreSQL; SQLite is serial) and returns its current generation. Before any other statement
 * of a subscription change: what is read after it is current.
 */
export async function lockInterest(trx: Trx, orgId: number): Promise<number> {
  let q = trx.selectFrom('organizations').select('webhook_generation').where('id', '=', orgId);
  if (isPostgres(trx)) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row?.webhook_generation ?? 0;
}

/** Recomputes the interest from the active subscriptions, under `lockInterest`. */
export async function saveInterest(trx: Trx, orgId: number, generation: number): Promise<void> {
  const active = await trx.selectFrom('webhooks').select('events').where('organization_id', '=', orgId).where('active', '=', 1).execute();
  const events = interestOf(active.map((w) => JSON.parse(w.events) as string[]));
  await trx.updateTable('organizations').set({ webhook_events: events, webhook_generation: generation }).where('id', '=', orgId).execute();
}
