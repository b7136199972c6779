import type { Executor } from '../../db/database.ts';
import { prepared } from '../../db/prepared.ts';

/** how stale `last_used_at` may get: authentication writes it at most this often per key */
export const KEY_TOUCH_SECONDS = 60;

const activeKeyQuery = prepared((db, keyHash: string) =>
  db
    .selectFrom('api_keys as k')
    .innerJoin('organizations as o', 'o.id', 'k.organization_id')
    .select(['k.id', 'k.name', 'k.prefix', 'k.organization_id', 'k.last_used_at', 'o.rate_limit_per_minute'])
    .where('k.key_hash', '=', keyHash)
    .where('k.revoked_at', 'is', null),
);

/** the organization a key belongs to, if the key exists and is not revoked */
export async function findActiveKeyByHash(db: Executor, keyHash: string) {
  return (await activeKeyQuery(db, keyHash)).rows[0];
}

export async function insertApiKey(
  db: Executor,
  row: { organizationId: number; name: string; prefix: string; keyHash: string; createdAt: number },
) {
  const r = await db
    .insertInto('api_keys')
    .values({
      organization_id: row.organizationId,
      name: row.name,
      prefix: row.prefix,
      key_hash: row.keyHash,
      created_at: row.createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function revokeApiKey(db: Executor, orgId: number, keyId: number, at: number): Promise<boolean> {
  const r = await db
    .updateTable('api_keys')
    .set({ revoked_at: at })
    .where('organization_id', '=', orgId)
    .where('id', '=', keyId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Records that the key was used at `at`, unless that was already recorded less than
 * KEY_TOUCH_SECONDS before: of several instances touching a hot key at once, one writes.
 */
export async function touchApiKey(db: Executor, orgId: number, keyId: number, at: number): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ last_used_at: at })
    .where('organization_id', '=', orgId)
    .where('id', '=', keyId)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', at - KEY_TOUCH_SECONDS)]))
    .execute();
}

/** every key of the organization, revoked ones too, oldest first (`handoff key list`) */
export function listApiKeys(db: Executor, orgId: number) {
  return db
    .selectFrom('api_keys')
    .select(['id', 'name', 'prefix', 'created_at', 'last_used_at', 'revoked_at'])
    .where('organization_id', '=', orgId)
    .orderBy('id')
    .execute();
}
