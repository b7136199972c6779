// Organization `{id, domain, teamOnline, chatEnabled}` (API.md §3). Presenters are the only
// code that shapes public JSON (DESIGN rule 3).
export const presentOrganization = (o: { id: number; domain: string; chat_enabled: number }, teamOnline: boolean) => ({
  id: o.id,
  domain: o.domain,
  teamOnline,
  chatEnabled: o.chat_enabled === 1,
});
