// Parsed customer input → customers row values, and the tag-set arithmetic of every route that
// touches tags. Pure functions: the use cases (customers.service.ts, customer-changes.service.ts)
// read, call these, and write.
import type { Insertable, Updateable } from 'kysely';
import type { CustomerTable } from '../../db/schema.ts';
import type { CustomerRow, TagRow } from './customers.repository.ts';
import { DEFAULT_TAG_COLOR, TEXT_FIELDS, type CreateCustomerInput, type TagInput, type TextField, type UpdateCustomerInput } from './customers.schema.ts';

type TextColumn = 'name' | 'user_id' | 'company' | 'phone' | 'source' | 'referer' | 'last_page' | 'locale' | 'created_from' | 'notes'
  | 'telegram_id' | 'facebook_id' | 'instagram_id' | 'viber_id' | 'whatsapp_id';

const TEXT_COLUMN: Record<TextField, TextColumn> = {
  name: 'name', userId: 'user_id', company: 'company', phone: 'phone', source: 'source', referer: 'referer',
  lastPage: 'last_page', locale: 'locale', createdFrom: 'created_from', notes: 'notes', telegramId: 'telegram_id',
  facebookId: 'facebook_id', instagramId: 'instagram_id', viberId: 'viber_id', whatsappId: 'whatsapp_id',
};

const flag = (v: boolean | null | undefined): 0 | 1 => (v ? 1 : 0);

/** the row of a new customer; API.md is silent on defaults: firstSeen = now, createdFrom = "api" */
export function newCustomerRow(orgId: number, input: CreateCustomerInput, now: number): Insertable<CustomerTable> {
  const row: Insertable<CustomerTable> = {
    organization_id: orgId,
    email: input.email ?? null,
    first_seen: input.firstSeen ?? now,
    last_seen: input.lastSeen ?? null,
    region_code: input.location?.regionCode ?? null,
    country_code: input.location?.countryCode ?? null,
    city: input.location?.city ?? null,
    device: input.device ? JSON.stringify(input.device) : null,
    unsubscribed: flag(input.unsubscribed),
    blocked: flag(input.blocked),
    integration_id: input.integrationId ?? null,
    custom_data: JSON.stringify(input.customData ?? {}),
    created_at: now,
    updated_at: now,
  };
  for (const f of TEXT_FIELDS) row[TEXT_COLUMN[f]] = input[f] ?? null;
  row.created_from ??= 'api';
  return row;
}

/**
 * The columns a PUT/PATCH changes (API.md §4.4): present fields are set, `null` clears,
 * booleans cleared read as false, `location`, `device` and `customData` merge key by key.
 */
export function customerChanges(before: CustomerRow, input: Omit<UpdateCustomerInput, 'tags'>, now: number): Updateable<CustomerTable> {
  const set: Updateable<CustomerTable> = {};
  for (const f of TEXT_FIELDS) if (input[f] !== undefined) set[TEXT_COLUMN[f]] = input[f];
  if (input.email !== undefined) set.email = input.email;
  if (input.firstSeen !== undefined) set.first_seen = input.firstSeen;
  if (input.lastSeen !== undefined) set.last_seen = input.lastSeen;
  if (input.unsubscribed !== undefined) set.unsubscribed = flag(input.unsubscribed);
  if (input.blocked !== undefined) set.blocked = flag(input.blocked);
  if (input.integrationId !== undefined) set.integration_id = input.integrationId;
  if (input.location === null) Object.assign(set, { region_code: null, country_code: null, city: null });
  else if (input.location) {
    const { regionCode, countryCode, city } = input.location;
    if (regionCode !== undefined) set.region_code = regionCode;
    if (countryCode !== undefined) set.country_code = countryCode;
    if (city !== undefined) set.city = city;
  }
  if (input.device === null) set.device = null;
  else if (input.device) set.device = JSON.stringify({ ...(before.device ? JSON.parse(before.device) : {}), ...input.device });
  if (input.customData === null) set.custom_data = '{}';
  else if (input.customData) set.custom_data = JSON.stringify({ ...JSON.parse(before.custom_data), ...input.customData });
  if (Object.keys(set).length > 0) set.updated_at = now;
  return set;
}

/** what a request does to a customer's tags */
export type TagChange = { replace: TagInput[] } | { add: TagInput[] } | { remove: string[] };

/**
 * The customer's tags after `change`. A tag given without a colour keeps the colour it has,
 * or gets the default (API.md §4.4: `#c377e0`); a tag given twice keeps the last colour.
 */
export function nextTags(current: TagRow[], change: TagChange): TagRow[] {
  const had = new Map(current.map((t) => [t.name, t.color]));
  let next: Map<string, string>;
  if ('remove' in change) {
    next = new Map(had);
    for (const name of change.remove) next.delete(name);
  } else {
    next = 'add' in change ? new Map(had) : new Map();
    const given = 'add' in change ? change.add : change.replace;
    for (const t of given) next.set(t.name, t.color ?? next.get(t.name) ?? had.get(t.name) ?? DEFAULT_TAG_COLOR);
  }
  return sortTags([...next].map(([name, color]) => ({ name, color })));
}

/** tags in one order on both databases: by name, code point by code point */
export const sortTags = (tags: TagRow[]): TagRow[] => [...tags].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

export const sameTags = (a: TagRow[], b: TagRow[]): boolean => JSON.stringify(sortTags(a)) === JSON.stringify(sortTags(b));
