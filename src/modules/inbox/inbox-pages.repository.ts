// inbox_pages (migration 0013): one row per open inbox page, i.e. per session's live stream,
// on whichever instance holds it. All SQL about it (DESIGN rule 5).
import type { Executor } from '../../db/database.ts';

export async function insertPage(db: Executor, row: { id: string; orgId: number; agentId: number; seenAt: number }): Promise<void> {
  await db.insertInto('inbox_pages').values({ id: row.id, organization_id: row.orgId, agent_id: row.agentId, seen_at: row.seenAt }).execute();
}

/** false when the row is gone (swept while this instance stalled): the caller writes it again */
export async function touchPage(db: Executor, orgId: number, id: string, seenAt: number): Promise<boolean> {
  const r = await db.updateTable('inbox_pages').set({ seen_at: seenAt }).where('organization_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function deletePage(db: Executor, orgId: number, id: string): Promise<void> {
  await db.deleteFrom('inbox_pages').where('organization_id', '=', orgId).where('id', '=', id).execute();
}

/** whether the agent has a page seen at or after `since` */
export async function hasFreshPage(db: Executor, orgId: number, agentId: number, since: number): Promise<boolean> {
  const r = await db
    .selectFrom('inbox_pages')
    .select('id')
    .where('organization_id', '=', orgId)
    .where('agent_id', '=', agentId)
    .where('seen_at', '>=', since)
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

/** whether any organization has a page not seen since `before` (a read, so an idle sweep writes nothing) */
export async function anyStalePage(db: Executor, before: number): Promise<boolean> {
  return (await db.selectFrom('inbox_pages').select('id').where('seen_at', '<', before).limit(1).executeTakeFirst()) !== undefined;
}

/**
 * Deletes the pages not seen since `before` — left by an instance that crashed or stalled — in
 * every organization (the one query that is not scoped by one: a sweep serves them all, as the
 * routing worker's due-job query does). Each row is returned by exactly one of concurrent sweeps.
 */
export function deleteStalePages(db: Executor, before: number) {
  return db.deleteFrom('inbox_pages').where('seen_at', '<', before).returning(['organization_id', 'agent_id']).execute();
}
