import type { ExpressionBuilder } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';

export function findOrganization(db: Executor, orgId: number) {
  return db
    .selectFrom('organizations')
    .select(['id', 'name', 'domain', 'chat_enabled', 'rate_limit_per_minute', 'webhook_signing_key'])
    .where('id', '=', orgId)
    .executeTakeFirst();
}

export async function countOrganizations(db: Executor): Promise<number> {
  const r = await db.selectFrom('organizations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertOrganization(
  db: Executor,
  row: { name: string; domain: string; rateLimitPerMinute: number | null; webhookSigningKey: string; createdAt: number },
) {
  const r = await db
    .insertInto('organizations')
    .values({
      name: row.name,
      domain: row.domain,
      chat_enabled: 1,
      rate_limit_per_minute: row.rateLimitPerMinute,
      webhook_signing_key: row.webhookSigningKey,
      created_at: row.createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function setWebhookSigningKey(db: Executor, orgId: number, key: string): Promise<boolean> {
  const r = await db.updateTable('organizations').set({ webhook_signing_key: key }).where('id', '=', orgId).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** the organization's inbox settings (docs/inbox.md) */
export function findOrganizationSettings(db: Executor, orgId: number) {
  return db.selectFrom('organizations').select('agents_may_reassign').where('id', '=', orgId).executeTakeFirst();
}

export async function setAgentsMayReassign(db: Executor, orgId: number, value: boolean): Promise<void> {
  await db.updateTable('organizations').set({ agents_may_reassign: value ? 1 : 0 }).where('id', '=', orgId).execute();
}

/**
 * The organization's default application: the first one, made with the organization
 * (createOrganization), whose id `POST /v1/chats` needs as `application`. null if it has none.
 */
const defaultApplication = (eb: ExpressionBuilder<DB, 'organizations'>) =>
  eb.selectFrom('applications as app').select((e) => e.fn.min('app.id').as('id')).whereRef('app.organization_id', '=', 'organizations.id');

/** one organization with what an operator sees (`handoff org show`) */
export function findOrganizationForOperator(db: Executor, orgId: number) {
  return db
    .selectFrom('organizations')
    .select(['id', 'name', 'domain', 'rate_limit_per_minute', 'webhook_signing_key'])
    .select((eb) => defaultApplication(eb).as('application_id'))
    .where('id', '=', orgId)
    .executeTakeFirst();
}

/** every organization, oldest first (`handoff org list`: the operator's view spans them all) */
export function listOrganizations(db: Executor) {
  return db
    .selectFrom('organizations')
    .select(['id', 'name', 'domain', 'rate_limit_per_minute'])
    .select((eb) => defaultApplication(eb).as('application_id'))
    .orderBy('id')
    .execute();
}
