// Event `{id, name, data, createdAt, customer}` (API.md §4.4); `customer` is a CustomerRef as
// on a Chat (API.md §3). Presenters are the only code that shapes public JSON (DESIGN rule 3).
import { timestampOut } from '../../lib/timestamps.ts';
import { customerRef } from '../customers/customers.presenter.ts';
import type { CustomerEventRow } from './customer-events.repository.ts';

/** the customer's columns its CustomerRef shows */
type CustomerRefRow = { id: number; name: string | null; email: string | null; user_id: string | null };

export const presentCustomerEvent = (e: CustomerEventRow, customer: CustomerRefRow) => ({
  id: e.id,
  name: e.name,
  data: e.data === null ? null : (JSON.parse(e.data) as unknown),
  createdAt: timestampOut(e.created_at),
  customer: customerRef(customer.id, customer.name, customer.email, customer.user_id),
});
