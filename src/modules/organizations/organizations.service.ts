import type { Database } from '../../db/database.ts';
import { Invalid } from '../../errors.ts';
import type { Clock } from '../../lib/clock.ts';
import { newSigningKey } from '../../lib/crypto.ts';
import { insertApplication } from '../applications/applications.repository.ts';
import { issueApiKey } from '../api-keys/api-keys.service.ts';
import { insertOrganization } from './organizations.repository.ts';

export interface NewOrganization {
  name: string;
  domain?: string;
  rateLimitPerMinute?: number | null;
}

/** An organization with its default application and a first API key (printed once). */
export function createOrganization(database: Database, clock: Clock, input: NewOrganization) {
  const name = input.name.trim();
  if (name === '') throw Invalid.field('name', 'This value should not be blank.');
  const domain = input.domain ?? (name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'org');
  return database.write(async (trx) => {
    const now = clock.now();
    const id = await insertOrganization(trx, {
      name,
      domain,
      rateLimitPerMinute: input.rateLimitPerMinute ?? null,
      webhookSigningKey: newSigningKey(),
      createdAt: now,
    });
    const applicationId = await insertApplication(trx, {
      organizationId: id,
      name: 'Website',
      displayName: `${name} website`,
      type: 'widget',
      createdAt: now,
    });
    const key = await issueApiKey(trx, clock, id);
    return { id, name, domain, applicationId, apiKey: key.apiKey, apiKeyId: key.id };
  });
}
