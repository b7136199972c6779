/** Application: `{id, name, displayName, active, type}` (API.md §3) */
export const presentApplication = (a: { id: number; name: string; display_name: string; active: number; type: string }) => ({
  id: a.id,
  name: a.name,
  displayName: a.display_name,
  active: a.active === 1,
  type: a.type,
});
