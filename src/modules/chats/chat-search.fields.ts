// What a chat search may filter and sort on (API.md §4.1): the whitelist the SQL is built from.
import type { Catalogue } from '../search/filter.ts';
import { lookup } from '../../lib/lookup.ts';
import { CHAT_STATUSES, RATINGS, STATUS_ALIASES } from './chat-values.ts';

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
  'customer.email': { kind: 'string', column: 'cu.email', through: { fk: 'c.customer_id' }, trigrams: 'email' },
  'customer.userId': { kind: 'string', column: 'cu.user_id', through: { fk: 'c.customer_id' }, trigrams: 'user_id' },
  'customer.tagsData': { kind: 'tags', customerColumn: 'c.customer_id' },
});

export const CHAT_SORTS = lookup({
  createdAt: { column: 'c.created_at', nullable: false },
  lastCustomerMessageAt: { column: 'c.last_customer_message_at', nullable: true },
  lastMessageAt: { column: 'c.last_message_at', nullable: true },
  closedAt: { column: 'c.closed_at', nullable: true },
});
