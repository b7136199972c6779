// Every item of a list or a search, page after page (offset/limit), until the total is
// reached. Both envelopes are read: `{data, meta: {total}}` and `{data, total}` (a search
// answers both). The offset advances by what a page held, so a server that clamps `limit`
// (Handoff and HelpCrunch: 100 at most) is paged correctly.

/** the server's cap on `limit`, and the page size the iterators ask for by default */
export const MAX_LIMIT = 100;

export interface Page {
  offset?: number;
  limit?: number;
}

export interface Paged<T> {
  data: T[];
  total?: number;
  meta?: { total: number };
}

/** the total of either envelope */
export const totalOf = (page: Paged<unknown>): number => page.meta?.total ?? page.total ?? page.data.length;

/**
 * Iterates the items of `fetchPage(offset, limit)` from `start.offset` (default 0) in pages of
 * `start.limit` (default 100). Stops at the total, or at an empty page (the total shrank while
 * iterating).
 */
export async function* pages<T>(fetchPage: (page: Required<Page>) => Promise<Paged<T>>, start: Page = {}): AsyncGenerator<T, void, undefined> {
  let offset = start.offset ?? 0;
  const limit = start.limit ?? MAX_LIMIT;
  for (;;) {
    const page = await fetchPage({ offset, limit });
    for (const item of page.data) yield item;
    offset += page.data.length;
    if (page.data.length === 0 || offset >= totalOf(page)) return;
  }
}
