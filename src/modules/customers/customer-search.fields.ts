// What a customer search may filter and sort on (API.md §4.1): the whitelist the SQL is built
// from, read by the same search engine as chats (modules/search).
import type { Catalogue } from '../search/filter.ts';
import { lookup } from '../../lib/lookup.ts';

const text = (column: string) => ({ kind: 'string', column }) as const;

export const CUSTOMER_FIELDS: Catalogue = lookup({
  id: { kind: 'id', column: 'cu.id', nullable: false },
  name: text('cu.name'),
  email: text('cu.email'),
  userId: text('cu.user_id'),
  company: text('cu.company'),
  phone: text('cu.phone'),
  countryCode: text('cu.country_code'),
  city: text('cu.city'),
  regionCode: text('cu.region_code'),
  lastSeen: { kind: 'date', column: 'cu.last_seen', nullable: true },
  firstSeen: { kind: 'date', column: 'cu.first_seen', nullable: true },
  tagsData: { kind: 'tags', customerColumn: 'cu.id' },
  telegramId: text('cu.telegram_id'),
  facebookId: text('cu.facebook_id'),
  instagramId: text('cu.instagram_id'),
  viberId: text('cu.viber_id'),
  whatsappId: text('cu.whatsapp_id'),
});

/** API.md §4.1 sorts `firstSeen`, `lastSeen`; `createdAt` is the default order of §1 */
export const CUSTOMER_SORTS = lookup({
  createdAt: { column: 'cu.created_at', nullable: false },
  firstSeen: { column: 'cu.first_seen', nullable: true },
  lastSeen: { column: 'cu.last_seen', nullable: true },
});
