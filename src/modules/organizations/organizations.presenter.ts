// Organization `{id, domain, teamOnline, chatEnabled}` (API.md §3). Presenters are the only
// code that shapes public JSON (DESIGN rule 3).
export const presentOrganization = (o: { id: number; domain: string; chat_enabled: number }, teamOnline: boolean) => ({
  id: o.id,
  domain: o.domain,
  teamOnline,
  chatEnabled: o.chat_enabled === 1,
});

/**
 * What an operator sees (`handoff org show`, API.md §4.8): `{id, name, domain,
 * webhookSigningKey, rateLimitPerMinute}`; the limit is the organization's own, null for the
 * server default (RATE_LIMIT_PER_MINUTE).
 */
export const presentOrganizationForOperator = (o: {
  id: number;
  name: string;
  domain: string;
  webhook_signing_key: string;
  rate_limit_per_minute: number | null;
}) => ({ id: o.id, name: o.name, domain: o.domain, webhookSigningKey: o.webhook_signing_key, rateLimitPerMinute: o.rate_limit_per_minute });

/** [ext] the organization's inbox settings `{agentsMayReassign}` (docs/inbox.md) */
export const presentOrganizationSettings = (o: { agents_may_reassign: number }) => ({ agentsMayReassign: o.agents_may_reassign === 1 });
