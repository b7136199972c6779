import type { Executor } from '../../db/database.ts';
import type { Page } from '../../input/pagination.ts';
import { filterKey, type Filter } from '../search/filter.ts';
import type { Sort } from '../search/sort.ts';
import { cachedTotal, VERSIONED_CUSTOMER_COLUMNS, type TotalDepends } from '../search/totals-cache.ts';
import { presentChat } from './chats.presenter.ts';
import { agentsOfChats, chatViews } from './chats.repository.ts';
import { chatsOfOrganization, seekOffset } from './chat-search.days.ts';
import { CHAT_SORTS } from './chat-search.fields.ts';
import { countChats, countChatsByCustomers, searchChatIds } from './chat-search.repository.ts';

export interface FindOptions {
  /** SQLite: remember filtered totals while the database is unchanged (totals-cache.ts) */
  cacheTotals: boolean;
}

/** one page of chats matching `filter`, and how many match in all */
export async function findChats(db: Executor, orgId: number, filter: Filter, sort: Sort, page: Page, options: FindOptions = { cacheTotals: false }) {
  const { ids, total } = await (filter.conditions.length === 0
    ? allChatsPage(db, orgId, filter, sort, page, options)
    : matchingPage(db, orgId, filter, sort, page, options));
  const [views, agents] = await Promise.all([chatViews(db, orgId, ids), agentsOfChats(db, orgId, ids)]);
  return { data: views.map((v) => presentChat(v, agents.get(v.id) ?? [])), total };
}

/** all the organization's chats, remembered like a filtered total (a sum over ~730 days: ~0.1 ms) */
function organizationTotal(db: Executor, orgId: number, options: FindOptions) {
  return cachedTotal(db, `chats:${orgId}:all`, options.cacheTotals, () => chatsOfOrganization(db, orgId));
}

/** 'customers' when every condition is on a versioned customer column (search/totals-cache.ts) */
export function totalDepends(filter: Filter): TotalDepends {
  const versioned = filter.conditions.every(
    ({ spec }) => spec.kind === 'string' && spec.through !== undefined && VERSIONED_CUSTOMER_COLUMNS.has(spec.column.replace(/^cu\./, '')),
  );
  return versioned ? 'customers' : 'database';
}

/**
 * A page walk that tests each chat's customer visits about (offset + limit) × all / matching
 * chats before the page is full; above this many, finding the matching customers first wins.
 */
const WALK_BUDGET = 20_000;

async function matchingPage(db: Executor, orgId: number, filter: Filter, sort: Sort, page: Page, options: FindOptions) {
  const key = `chats:${orgId}:${filterKey(filter)}`;
  const onCustomer = filter.conditions.map((c) => c.spec.kind === 'string' && c.spec.through !== undefined);
  const byCustomers = onCustomer.every(Boolean);
  const counted = byCustomers ? () => countChatsByCustomers(db, orgId, filter) : () => countChats(db, orgId, filter);
  const count = () => cachedTotal(db, key, options.cacheTotals, counted, totalDepends(filter));
  if (!onCustomer.some(Boolean)) {
    const [ids, total] = await Promise.all([searchChatIds(db, orgId, filter, sort, page), count()]);
    return { ids, total };
  }
  // The total first: with it, how many chats the walk would visit is known.
  const total = await count();
  if (page.offset >= total) return { ids: [], total };
  const all = await organizationTotal(db, orgId, options);
  const walk = (page.offset + page.limit) * all <= WALK_BUDGET * total;
  return { ids: await searchChatIds(db, orgId, filter, sort, page, { customers: walk ? 'exists' : 'in' }), total };
}

/**
 * No filter: the total is the sum of the day counts, and in created order (the default sort,
 * either direction) a deep offset starts at its day instead of stepping over every chat before
 * it (issue 3 (iv): offset 500,000 of a million).
 */
async function allChatsPage(db: Executor, orgId: number, filter: Filter, sort: Sort, page: Page, options: FindOptions) {
  const total = await organizationTotal(db, orgId, options);
  if (page.offset >= total) return { ids: [], total };
  if (sort.column !== CHAT_SORTS.createdAt.column || page.offset === 0) {
    return { ids: await searchChatIds(db, orgId, filter, sort, page), total };
  }
  const seek = await seekOffset(db, orgId, page.offset, sort.direction);
  if (!seek) return { ids: [], total };
  return { ids: await searchChatIds(db, orgId, filter, sort, { offset: seek.skip, limit: page.limit }, { seek }), total };
}
