// Frozen. Webhook bookkeeping only where a subscription wants it (bench, webhooks suite: PUT
// /v1/chats/assignee without any subscription ran at about half the speed with the worker on,
// because every event entered the pending set and was later updated out of it).
//   organizations.webhook_events      what the active subscriptions want: null (none), '*' (all),
//                                      or ',name,name,' — read by every outbox insert
//   organizations.webhook_generation  bumped by each new subscription
//   webhooks.since_generation         the generation the subscription was created at
//   outbox.webhook_generation         the organization's generation the event was written under
// An event is pending only when webhook_events names it, and reaches a subscription only when
// its generation is at least the subscription's. Imports nothing of the app; portable DDL.
import type { Kysely } from 'kysely';

const ALL = '*';
/** the largest value of an `integer` column on PostgreSQL */
const MAX_GENERATION = 2_147_483_647;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organizations').addColumn('webhook_events', 'text').execute();
  await db.schema.alterTable('organizations').addColumn('webhook_generation', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('webhooks').addColumn('since_generation', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  // The app always writes the outbox's generation; the default is for rows written without one
  // (before this migration, or by an instance of the previous version during a rolling
  // upgrade): the highest generation, so every subscription gets them — at least once rather
  // than lost.
  await db.schema.alterTable('outbox').addColumn('webhook_generation', 'integer', (c) => c.notNull().defaultTo(MAX_GENERATION)).execute();

  // What today's subscriptions want makes events pending from now on, as before.
  const active = await db.selectFrom('webhooks').select(['organization_id', 'events']).where('active', '=', 1).execute();
  const wanted = new Map<number, Set<string>>();
  for (const w of active as Array<{ organization_id: number; events: string }>) {
    const names = wanted.get(w.organization_id) ?? new Set<string>();
    for (const name of JSON.parse(w.events) as string[]) names.add(name);
    wanted.set(w.organization_id, names);
  }
  for (const [orgId, names] of wanted) {
    const events = names.has(ALL) ? ALL : `,${[...names].sort().join(',')},`;
    await db.updateTable('organizations').set({ webhook_events: events }).where('id', '=', orgId).execute();
  }
}

export async function down(): Promise<void> {
  throw new Error('0006_webhook_interest cannot be reverted; restore a backup instead');
}
