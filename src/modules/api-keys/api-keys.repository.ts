import type { Executor } from '../../db/database.ts';
import { prepared } from '../../db/prepared.ts';

const activeKeyQuery = prepared((db, keyHash: string) =>
  db
    .selectFrom('api_keys as k')
    .innerJoin('organizations as o', 'o.id', 'k.organization_id')
    .select(['k.id', 'k.name', 'k.prefix', 'k.organization_id', 'o.rate_limit_per_minute'])
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
