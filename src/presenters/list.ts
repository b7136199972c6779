// The envelopes lists and reads answer in (API.md §4.1, §5): the one place they are shaped
// (DESIGN rule 3). A service answers a list as a ListResult — its items already presented, and
// how many match in all — and the route says which envelope its endpoint wears. It is the route
// that decides, not the service, because one use case serves two envelopes: findChats answers
// GET /v1/chats and POST /v1/chats/search, findCustomers GET /v1/customers and its search.
// Pure: no database, no HTTP; features import it from their services and routes alike.

/** one page of a list: the items as the API shows them, and the total the whole list has */
export interface ListResult<T> {
  data: T[];
  total: number;
}

/**
 * The envelope styles, as API.md writes them; the reference is not consistent and a HelpCrunch
 * client reads each endpoint the way it is documented, so each list keeps its own:
 * - `list`: `{"data":[…],"meta":{"total":N}}` — the reference's GET lists: /chats, /agents,
 *   /departments, /applications (§4.1), and the [ext] lists written after them:
 *   /chats/{id}/assignments (§4.6), /webhooks and /webhooks/{id}/deliveries (§4.8);
 * - `bare list`: `{"data":[…],"total":N}` — the lists the reference documents without `meta`:
 *   GET /chats/{id}/messages and GET /customers (§4.1), [ext] GET /customers/{id}/events (§5);
 * - `search`: `{"data":[…],"meta":{"total":N},"total":N}` — the searches, POST /chats/search
 *   and POST /customers/search (§4.1), which give the total in both places.
 */
export type ListStyle = 'list' | 'bare list' | 'search';

export function presentList<T>(style: 'list', list: ListResult<T>): { data: T[]; meta: { total: number } };
export function presentList<T>(style: 'bare list', list: ListResult<T>): { data: T[]; total: number };
export function presentList<T>(style: 'search', list: ListResult<T>): { data: T[]; meta: { total: number }; total: number };
export function presentList<T>(style: ListStyle, { data, total }: ListResult<T>) {
  // key order is the wire order: `data` first, then `meta`, then the top-level `total`
  if (style === 'list') return { data, meta: { total } };
  if (style === 'bare list') return { data, total };
  return { data, meta: { total }, total };
}

/**
 * `{"data": …}` with no total: GET /v1/organization (§4.1, one Organization) and
 * PUT /v1/customers/batch (§4.4, the Customers in request order).
 */
export const presentData = <T>(data: T): { data: T } => ({ data });
