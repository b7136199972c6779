// Fuller valid bodies for the fuzz, beside each route's own sample (routes.ts): every field a
// body may hold, nested ones included, so a mutation at any one place reaches that field's own
// validation with all the others valid. Search samples hold one condition per field of the
// route's catalogue, read from the catalogue itself.
import { CHAT_FIELDS } from '../../src/modules/chats/chat-search.fields.ts';
import { CUSTOMER_FIELDS } from '../../src/modules/customers/customer-search.fields.ts';
import type { Catalogue, FieldSpec } from '../../src/modules/search/filter.ts';
import { T0 } from './app.ts';
import type { World } from './routes.ts';

/** a condition every field kind accepts: `=` (or `~` for text) and a value of the right type */
function condition(prefix: string, name: string, spec: FieldSpec, w: World) {
  const field = `${prefix}.${name}`;
  switch (spec.kind) {
    case 'id':
      return { field, operator: '=', value: name === 'customer' || prefix === 'customers' ? w.chat.customer.id : w.agents[0].id };
    case 'participant':
      return { field, operator: '=', value: w.agents[0].id };
    case 'date':
      return { field, operator: '>=', value: T0 };
    case 'enum':
      return { field, operator: '=', value: spec.values[0] };
    case 'tags':
      return { field, operator: '=', value: [{ name: 'vip' }] };
    default:
      return { field, operator: '~', value: 'a' };
  }
}

const search = (prefix: string, catalogue: Catalogue) => (w: World) => ({
  filter: Object.entries(catalogue).map(([name, spec]) => condition(prefix, name, spec!, w)),
  comparison: 'OR',
  sort: `${prefix}.createdAt`,
  order: 'desc',
  offset: 0,
  limit: 5,
});

const customer = () => ({
  name: 'Fuzz',
  email: 'fuzz@example.test',
  userId: 'fuzz-user',
  company: 'Acme',
  phone: '+1 555',
  firstSeen: T0,
  lastSeen: `${T0}.000`,
  location: { regionCode: 'CA', countryCode: 'US', city: 'Davis' },
  device: { id: 'd1', ip: '192.0.2.1', timezone: 'UTC', platform: 'web', userAgent: 'fuzz' },
  unsubscribed: false,
  blocked: false,
  integrationId: 1,
  notes: 'note',
  tags: [{ name: 'vip', color: '#ffffff' }],
  customData: [{ property: 'plan', value: 'gold' }],
});
const policy = () => ({ strategy: 'least_busy', capacity: 3, onlineOnly: true, sticky: false, reassignAfterMinutes: 10, offlineGraceMinutes: 5 });

/** by route pattern (`METHOD /path/:id`) */
export const FUZZ_SAMPLES: Record<string, (w: World) => unknown> = {
  'POST /v1/chats/search': search('chats', CHAT_FIELDS),
  'POST /v1/customers/search': search('customers', CUSTOMER_FIELDS),
  'POST /v1/customers': customer,
  'PUT /v1/customers/:id': customer,
  'PATCH /v1/customers/:id': customer,
  'PUT /v1/customers/batch': (w) => [{ customer: w.chat.customer.id, ...customer(), userId: undefined }, { customer: w.chat.customer.id, city: 'x' }],
  'PUT /v1/chats/assignee': (w) => ({ id: w.chat.id, assignee: w.agents[1].id, expectedAssignee: null }),
  'POST /v1/chats': (w) => ({ customer: w.chat.customer.id, application: w.org.applicationId, assignee: w.agents[0].id }),
  'POST /v1/messages': (w) => ({ chat: w.chat.id, text: 'hi', type: 'private', agent: w.agents[0].id, markdownText: '**hi**' }),
  'POST /v1/events': (w) => ({ name: 'viewed', customer: w.chat.customer.id, data: { page: '/pricing', n: 1, ok: true } }),
  'PUT /v1/chats/snooze': (w) => ({ id: w.chat.id, snoozedUntil: T0 + 10_000_000 }),
  'PUT /v1/organization/routing': policy,
  'PUT /v1/departments/:id/routing': policy,
  'POST /v1/webhooks': () => ({ url: 'http://127.0.0.1:9/fuzz', events: ['chat.assigned', 'customer.new'] }),
};
