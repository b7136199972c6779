// Event `{id, name, data, createdAt, customer}` (API.md §4.4). `customer` is the customer's id,
// an integer, as HelpCrunch's reference answers POST /v1/events; GET /v1/customers/{id}/events
// [ext] lists the same Event, so both say it alike. Presenters are the only code that shapes
// public JSON (DESIGN rule 3).
import { timestampOut } from '../../lib/timestamps.ts';
import type { CustomerEventRow } from './customer-events.repository.ts';

export const presentCustomerEvent = (e: CustomerEventRow) => ({
  id: e.id,
  name: e.name,
  data: e.data === null ? null : (JSON.parse(e.data) as unknown),
  createdAt: timestampOut(e.created_at),
  customer: e.customer_id,
});
