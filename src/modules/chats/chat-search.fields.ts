// What a chat search may filter and sort on (API.md §4.1): the whitelist the SQL is built from.
import type { Catalogue, FieldSpec } from '../search/filter.ts';
import type { Sort } from '../search/sort.ts';
import { lookup } from '../../lib/lookup.ts';
import { CHAT_STATUSES, RATINGS, STATUS_ALIASES } from './chat-values.ts';

// the chat's customer's fields, each under two names: see the aliases below
const CUSTOMER_EMAIL: FieldSpec = { kind: 'string', column: 'cu.email', through: { fk: 'c.customer_id' }, trigrams: 'email' };
const CUSTOMER_USER_ID: FieldSpec = { kind: 'string', column: 'cu.user_id', through: { fk: 'c.customer_id' }, trigrams: 'user_id' };
const CUSTOMER_TAGS: FieldSpec = { kind: 'tags', customerColumn: 'c.customer_id' };

export const CHAT_FIELDS: Catalogue = lookup({
  assignee: { kind: 'id', column: 'c.assignee_id', nullable: true },
  agents: { kind: 'participant' },
  createdAt: { kind: 'date', column: 'c.created_at', nullable: false },
  updatedAt: { kind: 'date', column: 'c.updated_at', nullable: false },
  closedAt: { kind: 'date', column: 'c.closed_at', nullable: true },
  department: { kind: 'id', column: 'c.department_id', nullable: true },
  status: { kind: 'enum', column: 'c.status', nullable: false, values: CHAT_STATUSES, aliases: STATUS_ALIASES },
  rating: { kind: 'enum', column: 'c.rating', nullable: true, values: RATINGS },
  customer: { kind: 'id', column: 'c.customer_id', nullable: false },
  'customer.email': CUSTOMER_EMAIL,
  'customer.userId': CUSTOMER_USER_ID,
  'customer.tagsData': CUSTOMER_TAGS,
  // Aliases (the same spec objects, so not listed as choices): HelpCrunch's examples write a
  // chat's customer fields both as `chats.customer.email` and as `customers.email` (issue 16).
  'customers.email': CUSTOMER_EMAIL,
  'customers.userId': CUSTOMER_USER_ID,
  'customers.tagsData': CUSTOMER_TAGS,
});

export const CHAT_SORTS = lookup({
  createdAt: { column: 'c.created_at', nullable: false },
  lastCustomerMessageAt: { column: 'c.last_customer_message_at', nullable: true },
  lastMessageAt: { column: 'c.last_message_at', nullable: true },
  closedAt: { column: 'c.closed_at', nullable: true },
});

/**
 * Internal, in no catalogue a client names: the inbox's `q`, the customer's name or email
 * containing a text (docs/inbox.md). An `anyOf`, not a `string` field `through` the customer:
 * chat-search.service.ts counts a filter made only of those by the totals cache's narrow
 * "customers" stamp, which migration 0010's triggers bump for email and user_id changes but not
 * for a name's. Left out of that path, a total with `q` depends on the whole database and a
 * renamed customer is counted at once (test/inbox-reads.test.ts).
 */
export const CUSTOMER_NAME_OR_EMAIL: FieldSpec = {
  kind: 'anyOf',
  fields: [{ kind: 'string', column: 'cu.name', through: { fk: 'c.customer_id' } }, { kind: 'string', column: 'cu.email', through: { fk: 'c.customer_id' } }],
};

/** Internal: the inbox's order, most recently updated first (ties: id, in the same direction) */
export const RECENTLY_UPDATED: Sort = { column: 'c.updated_at', nullable: false, direction: 'desc' };
