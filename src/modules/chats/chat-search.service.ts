import type { Executor } from '../../db/database.ts';
import type { Page } from '../../http/pagination.ts';
import type { Filter } from '../search/filter.ts';
import type { Sort } from '../search/sort.ts';
import { presentChat } from './chats.presenter.ts';
import { agentsOfChats, chatViews } from './chats.repository.ts';
import { countChats, searchChatIds } from './chat-search.repository.ts';

/** one page of chats matching `filter`, and how many match in all */
export async function findChats(db: Executor, orgId: number, filter: Filter, sort: Sort, page: Page) {
  const [ids, total] = await Promise.all([searchChatIds(db, orgId, filter, sort, page), countChats(db, orgId, filter)]);
  const [views, agents] = await Promise.all([chatViews(db, orgId, ids), agentsOfChats(db, orgId, ids)]);
  return { data: views.map((v) => presentChat(v, agents.get(v.id) ?? [])), total };
}
