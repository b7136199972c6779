// Routing use cases of the API: route one chat now (or only say who would get it), read the queue.
import type { Database, Executor } from '../../db/database.ts';
import { Conflict, NotFound } from '../../errors.ts';
import type { Clock } from '../../lib/clock.ts';
import { readChat } from '../../modules/chats/chat-reader.ts';
import { findRoutedChat } from './facts.repository.ts';
import { waitingChats, waitingPerDepartment } from './queue.repository.ts';
import { presentQueueLine, presentRouted } from './routing.presenter.ts';
import { decideFor, newSession, routeOneChat } from './router.ts';

/** POST /v1/chats/{id}/route (API.md §4.7): with `dryRun` nothing changes. */
export async function routeChat(database: Database, clock: Clock, orgId: number, chatId: number, dryRun: boolean) {
  const chat = await findRoutedChat(database.db, orgId, chatId);
  if (!chat) throw new NotFound('Chat', chatId);
  if (chat.status === 'closed') throw closedOrGone(chatId, chat);
  if (dryRun) {
    const routed = await decideFor(database.db, newSession(orgId), chat);
    return presentRouted(await readChat(database.db, orgId, chatId), routed.decision.trace);
  }
  return database.write(async (trx) => {
    const routed = await routeOneChat(trx, clock, orgId, chatId, false);
    if (!routed) throw closedOrGone(chatId, await findRoutedChat(trx, orgId, chatId)); // changed in between
    return presentRouted(await readChat(trx, orgId, chatId), routed.decision.trace);
  });
}

// A closed chat waits for nobody: assigning it would hold a seat no one can fill.
const closedOrGone = (chatId: number, chat: { status: string } | undefined) =>
  chat ? new Conflict(`Chat ${chatId} is closed; only open chats are routed`) : new NotFound('Chat', chatId);

/** GET /v1/organization/queue [ext]: per department, its waiting chats with their position. */
export async function organizationQueue(db: Executor, orgId: number, limit: number) {
  const departments = await waitingPerDepartment(db, orgId);
  const data = [];
  for (const d of departments) {
    const chats = await waitingChats(db, orgId, d.department_id, limit);
    const department = d.department_id === null ? null : { id: d.department_id, name: d.department_name! };
    data.push(presentQueueLine(department, d.waiting, chats));
  }
  return { data, total: departments.reduce((n, d) => n + d.waiting, 0) };
}
