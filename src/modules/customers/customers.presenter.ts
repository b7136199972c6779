// Presenters are the only code that shapes public JSON (DESIGN rule 3), for answers and
// outbox eventData alike; key order is API.md §3.
import { timestampOut } from '../../lib/timestamps.ts';
import { sortTags } from './customer-values.ts';
import type { CustomerRow, TagRow } from './customers.repository.ts';

/**
 * CustomerRef `{id, name, email, userId}` (API.md §3): the only place its shape is written, for
 * a Chat's `customer`. Positional, so a chat view's joined `customer_*`
 * columns need no object in between.
 */
export function customerRef(id: number, name: string | null, email: string | null, userId: string | null) {
  return { id, name, email, userId };
}

/** Customer, key order of API.md §3 */
export function presentCustomer(c: CustomerRow, tags: TagRow[]) {
  return {
    id: c.id,
    name: c.name,
    email: c.email,
    userId: c.user_id,
    company: c.company,
    phone: c.phone,
    firstSeen: timestampOut(c.first_seen),
    lastSeen: timestampOut(c.last_seen),
    location: { regionCode: c.region_code, countryCode: c.country_code, city: c.city },
    device: c.device === null ? null : presentDevice(JSON.parse(c.device)),
    unsubscribed: c.unsubscribed === 1,
    blocked: c.blocked === 1,
    source: c.source,
    referer: c.referer,
    lastPage: c.last_page,
    locale: c.locale,
    createdFrom: c.created_from,
    // A string in HelpCrunch's reference ("465847687"); stored as the integer it always is.
    integrationId: c.integration_id === null ? null : String(c.integration_id),
    notes: c.notes,
    tags: sortTags(tags).map((t) => ({ name: t.name, color: t.color })),
    customData: JSON.parse(c.custom_data) as Record<string, unknown>,
  };
}

const presentDevice = (d: Record<string, string | null | undefined>) => ({
  id: d.id ?? null,
  ip: d.ip ?? null,
  timezone: d.timezone ?? null,
  platform: d.platform ?? null,
  userAgent: d.userAgent ?? null,
});

export type Customer = ReturnType<typeof presentCustomer>;

/** `eventData` of every customer.* outbox event (API.md §4.5): the customer as the API shows it */
export const customerEventData = (customer: Customer) => ({ customer });

/**
 * API.md §4.4: DELETE /v1/customers/{id} and GET /v1/agents/{id}/unsubscribe answer the JSON
 * string "Ok" (already serialised: Fastify sends a string body as it is).
 */
export const OK_JSON = JSON.stringify('Ok');
