// Organization `{id, domain, teamOnline, chatEnabled}` (API.md §3). Presenters are the only
// code that shapes public JSON (DESIGN rule 3).
export const presentOrganization = (o: { id: number; domain: string; chat_enabled: number }, teamOnline: boolean) => ({
  id: o.id,
  domain: o.domain,
  teamOnline,
  chatEnabled: o.chat_enabled === 1,
});

/**
 * What an operator sees (`handoff org show`, API.md §4.8): `{id, name, domain, applicationId,
 * webhookSigningKey, rateLimitPerMinute}`. `applicationId` is the default application's, the
 * `application` of `POST /v1/chats`; the limit is the organization's own, null for the server
 * default (RATE_LIMIT_PER_MINUTE).
 */
export const presentOrganizationForOperator = (o: OrganizationSummaryRow & { webhook_signing_key: string }) => ({
  id: o.id,
  name: o.name,
  domain: o.domain,
  applicationId: o.application_id,
  webhookSigningKey: o.webhook_signing_key,
  rateLimitPerMinute: o.rate_limit_per_minute,
});

export interface OrganizationSummaryRow {
  id: number;
  name: string;
  domain: string;
  application_id: number | null;
  rate_limit_per_minute: number | null;
}

/**
 * An organization in `handoff org list`: `{id, name, domain, applicationId, rateLimitPerMinute}`
 * as `org show` gives them, without the signing key (a list is for finding, not for secrets).
 */
export const presentOrganizationSummary = (o: OrganizationSummaryRow) => ({
  id: o.id,
  name: o.name,
  domain: o.domain,
  applicationId: o.application_id,
  rateLimitPerMinute: o.rate_limit_per_minute,
});

/** [ext] the organization's inbox settings `{agentsMayReassign}` (docs/inbox.md) */
export const presentOrganizationSettings = (o: { agents_may_reassign: number }) => ({ agentsMayReassign: o.agents_may_reassign === 1 });
