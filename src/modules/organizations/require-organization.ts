import type { Executor } from '../../db/database.ts';
import { NotFound } from '../../errors.ts';
import { findOrganization } from './organizations.repository.ts';

/** For operator commands that name an organization by id (the HTTP API gets it from the key). */
export async function requireOrganization(db: Executor, orgId: number) {
  const org = await findOrganization(db, orgId);
  if (!org) throw new NotFound('Organization', orgId);
  return org;
}
