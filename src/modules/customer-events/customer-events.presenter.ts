// Event `{id, name, data, createdAt, customer}` (API.md §4.4); `customer` is a CustomerRef as
// on a Chat (API.md §3). Presenters are the only code that shapes public JSON (DESIGN rule 3).
import { timestampOut } from '../../lib/timestamps.ts';
import { customerRef } from '../customers/customers.presenter.ts';
import type { CustomerEventRow } from './customer-events.repository.ts';

type CustomerRefRow = Parameters<typeof customerRef>[0];

export const presentCustomerEvent = (e: CustomerEventRow, customer: CustomerRefRow) => ({
  id: e.id,
  name: e.name,
  data: e.data === null ? null : (JSON.parse(e.data) as unknown),
  createdAt: timestampOut(e.created_at),
  customer: customerRef(customer),
});
