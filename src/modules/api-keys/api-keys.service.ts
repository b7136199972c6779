import type { Database, Executor, Trx } from '../../db/database.ts';
import { NotFound } from '../../errors.ts';
import type { Clock } from '../../lib/clock.ts';
import { apiKeyPrefix, newApiKey, sha256Hex } from '../../lib/crypto.ts';
import { requireOrganization } from '../organizations/require-organization.ts';
import { presentApiKey } from './api-keys.presenter.ts';
import { insertApiKey, listApiKeys, revokeApiKey } from './api-keys.repository.ts';

/** Creates a key; the clear key is returned once and never stored (only its SHA-256). */
export async function issueApiKey(trx: Trx, clock: Clock, orgId: number, name?: string) {
  const apiKey = newApiKey();
  const prefix = apiKeyPrefix(apiKey);
  name = name?.trim() || `API key ${prefix}`;
  const id = await insertApiKey(trx, { organizationId: orgId, name, prefix, keyHash: sha256Hex(apiKey), createdAt: clock.now() });
  return { id, prefix, apiKey };
}

export function createApiKey(database: Database, clock: Clock, orgId: number, name?: string) {
  return database.write(async (trx) => {
    await requireOrganization(trx, orgId);
    return issueApiKey(trx, clock, orgId, name);
  });
}

export function revokeKey(database: Database, clock: Clock, orgId: number, keyId: number) {
  return database.write(async (trx) => {
    await requireOrganization(trx, orgId);
    if (!(await revokeApiKey(trx, orgId, keyId, clock.now()))) throw new NotFound('API key', keyId);
    return { id: keyId, revoked: true };
  });
}

/** `handoff key list`: every key of the organization, revoked ones too, without the secret */
export async function listKeys(db: Executor, orgId: number) {
  await requireOrganization(db, orgId);
  return (await listApiKeys(db, orgId)).map(presentApiKey);
}
