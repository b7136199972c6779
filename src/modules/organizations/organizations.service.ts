import type { Database, Executor } from '../../db/database.ts';
import type { AgentRole } from '../../db/schema.ts';
import { Forbidden, Invalid, NotFound } from '../../errors.ts';
import type { Clock } from '../../lib/clock.ts';
import { newSigningKey } from '../../lib/crypto.ts';
import { insertApplication } from '../applications/applications.repository.ts';
import { issueApiKey } from '../api-keys/api-keys.service.ts';
import { anyAgentOnline } from '../agents/agents.repository.ts';
import { presentOrganization, presentOrganizationForOperator, presentOrganizationSettings, presentOrganizationSummary } from './organizations.presenter.ts';
import {
  findOrganization, findOrganizationForOperator, findOrganizationSettings, insertOrganization, listOrganizations as listOrganizationRows,
  setAgentsMayReassign, setWebhookSigningKey,
} from './organizations.repository.ts';
import type { SettingsInput } from './organizations.schema.ts';
import { requireOrganization } from './require-organization.ts';

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

/** GET /v1/organization: `teamOnline` is true while any active agent is online (presence, API.md §4.6) */
export async function getOrganization(db: Executor, orgId: number) {
  const [org, teamOnline] = await Promise.all([findOrganization(db, orgId), anyAgentOnline(db, orgId)]);
  if (!org) throw new NotFound('Organization', orgId); // the key's organization was deleted since it was cached
  return presentOrganization(org, teamOnline);
}

/** `handoff org show`: the organization with its default application and webhook signing key (API.md §4.8) */
export async function showOrganization(db: Executor, orgId: number) {
  const org = await findOrganizationForOperator(db, orgId);
  if (!org) throw new NotFound('Organization', orgId);
  return presentOrganizationForOperator(org);
}

/** `handoff org list`: every organization of this server */
export async function listOrganizations(db: Executor) {
  return (await listOrganizationRows(db)).map(presentOrganizationSummary);
}

/**
 * `handoff org rotate-signing-key`: a new key signs every attempt from now on (including
 * retries of earlier events); attempts already in flight were signed with the old one.
 */
export function rotateSigningKey(database: Database, orgId: number) {
  return database.write(async (trx) => {
    await requireOrganization(trx, orgId);
    const key = newSigningKey();
    await setWebhookSigningKey(trx, orgId, key);
    return showOrganization(trx, orgId);
  });
}

/** GET /v1/organization/settings [ext]: read by anyone who may call it (docs/inbox.md) */
export async function getOrganizationSettings(db: Executor, orgId: number) {
  const row = await findOrganizationSettings(db, orgId);
  if (!row) throw new NotFound('Organization', orgId); // the caller's organization was deleted since it was cached
  return presentOrganizationSettings(row);
}

/**
 * PUT /v1/organization/settings [ext]: an API key or an admin's session (docs/inbox.md); an
 * omitted key keeps its value, as PUT /v1/organization/routing does.
 */
export function updateOrganizationSettings(
  database: Database, caller: { orgId: number; session?: { role: AgentRole } | null }, input: SettingsInput,
) {
  if (caller.session && caller.session.role !== 'admin') {
    throw new Forbidden('forbidden', 'Only an admin may change the organization settings.');
  }
  return database.write(async (trx) => {
    if (input.agentsMayReassign !== undefined) await setAgentsMayReassign(trx, caller.orgId, input.agentsMayReassign);
    return getOrganizationSettings(trx, caller.orgId);
  });
}
