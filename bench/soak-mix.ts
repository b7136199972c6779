// What each organization's client asks in the soak: reads, searches with the filters a desk
// uses, assignments and messages, in proportions that differ by organization (a busy desk, a
// supervisor's reports, an integration, a widget-heavy shop), so no one query shape has the
// server to itself. Every request is one a real client sends and answers 2xx on the dataset.
import type { Dataset } from './dataset.ts';
import type { SoakRequest } from './soak-client.ts';

export const ROUTES = {
  getChat: 'GET /v1/chats/{id}',
  listChats: 'GET /v1/chats',
  getMessages: 'GET /v1/chats/{id}/messages',
  searchChats: 'POST /v1/chats/search',
  searchCustomers: 'POST /v1/customers/search',
  assign: 'PUT /v1/chats/assignee',
  postMessage: 'POST /v1/messages',
} as const;
export type RouteKey = keyof typeof ROUTES;

export interface Profile {
  name: string;
  /** relative weights of the routes */
  weights: Record<RouteKey, number>;
}

export const PROFILES: Profile[] = [
  { name: 'desk', weights: { getChat: 25, listChats: 10, getMessages: 15, searchChats: 15, searchCustomers: 5, assign: 15, postMessage: 15 } },
  { name: 'supervisor', weights: { getChat: 15, listChats: 15, getMessages: 10, searchChats: 30, searchCustomers: 15, assign: 10, postMessage: 5 } },
  { name: 'integration', weights: { getChat: 20, listChats: 5, getMessages: 5, searchChats: 10, searchCustomers: 10, assign: 25, postMessage: 25 } },
  { name: 'widget', weights: { getChat: 20, listChats: 5, getMessages: 25, searchChats: 5, searchCustomers: 5, assign: 10, postMessage: 30 } },
];

/** the dataset's customers per organization, for customer searches that find someone */
export interface MixData extends Pick<Dataset, 'agentIds' | 'firstChatId' | 'lastChatId'> {
  departmentIds: number[];
  customers: number;
}

const int = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));
const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)];
const DAY = 86_400;
/** chats whose messages a reader asks for: the ones this client wrote to lately */
const RECENT = 200;

export interface Mix {
  next(): SoakRequest;
  /** a 2xx answer: a posted message's chat is remembered for later reads */
  answered(req: SoakRequest): void;
}

export function createMix(profile: Profile, data: MixData): Mix {
  const keys = Object.keys(profile.weights) as RouteKey[];
  const total = keys.reduce((s, k) => s + profile.weights[k], 0);
  const recent: number[] = [];
  const chat = () => int(data.firstChatId, data.lastChatId);
  const agent = () => pick(data.agentIds);
  const now = () => Math.floor(Date.now() / 1000);
  const search = (route: string, path: string, body: object): SoakRequest => ({ route, method: 'POST', path, body: JSON.stringify(body) });

  const build: Record<RouteKey, () => SoakRequest> = {
    getChat: () => ({ route: ROUTES.getChat, method: 'GET', path: `/v1/chats/${chat()}` }),
    // the first pages mostly, sometimes deep: people page forward, rarely far
    listChats: () => {
      const offset = Math.random() < 0.8 ? int(0, 4) * 20 : int(0, 100) * 100;
      const order = Math.random() < 0.5 ? '&sort=chats.lastMessageAt&order=desc' : '';
      return { route: ROUTES.listChats, method: 'GET', path: `/v1/chats?offset=${offset}&limit=20${order}` };
    },
    getMessages: () => {
      const id = recent.length > 0 && Math.random() < 0.7 ? pick(recent) : chat();
      return { route: ROUTES.getMessages, method: 'GET', path: `/v1/chats/${id}/messages` };
    },
    searchChats: () => search(ROUTES.searchChats, '/v1/chats/search', pick(CHAT_SEARCHES)(data, agent, now())),
    searchCustomers: () => search(ROUTES.searchCustomers, '/v1/customers/search', pick(CUSTOMER_SEARCHES)(data, now())),
    // one in ten hands the chat back to the queue
    assign: () => ({
      route: ROUTES.assign, method: 'PUT', path: '/v1/chats/assignee',
      body: JSON.stringify({ id: chat(), assignee: Math.random() < 0.1 ? null : agent() }),
    }),
    // customers write most messages; agents answer some, and leave the odd private note
    postMessage: () => {
      const r = Math.random();
      const body = r < 0.6 ? { chat: chat(), text: pick(CUSTOMER_TEXTS) }
        : r < 0.9 ? { chat: chat(), text: pick(AGENT_TEXTS), agent: agent() }
          : { chat: chat(), text: 'Checked with the warehouse, see ticket.', type: 'private', agent: agent() };
      return { route: ROUTES.postMessage, method: 'POST', path: '/v1/messages', body: JSON.stringify(body) };
    },
  };

  return {
    next() {
      let r = Math.random() * total;
      for (const k of keys) if ((r -= profile.weights[k]) < 0) return build[k]();
      return build[keys[keys.length - 1]]();
    },
    answered(req) {
      if (req.route !== ROUTES.postMessage || req.body === undefined) return;
      recent.push((JSON.parse(req.body) as { chat: number }).chat);
      if (recent.length > RECENT) recent.shift();
    },
  };
}

type ChatSearch = (d: MixData, agent: () => number, now: number) => object;
const CHAT_SEARCHES: ChatSearch[] = [
  // the queue: unassigned new chats, newest first
  () => ({ filter: [{ field: 'chats.assignee', operator: '=', value: null }, { field: 'chats.status', operator: '=', value: 'new' }], sort: 'chats.createdAt', order: 'desc', limit: 20 }),
  // my chats
  (_d, agent) => ({ filter: [{ field: 'chats.assignee', operator: '=', value: agent() }], sort: 'chats.lastMessageAt', order: 'desc', limit: 20 }),
  // a department's open chats
  (d) => ({ filter: [{ field: 'chats.department', operator: '=', value: pick(d.departmentIds) }, { field: 'chats.status', operator: '=', value: 'opened' }], limit: 50 }),
  // a customer's chats, found by email
  (d) => ({ filter: [{ field: 'chats.customer.email', operator: '~', value: `customer${int(0, d.customers - 1)}@` }], limit: 20 }),
  // this week's closed chats, for a report
  (_d, _a, now) => ({ filter: [{ field: 'chats.status', operator: '=', value: 'closed' }, { field: 'chats.closedAt', operator: '>', value: now - 7 * DAY }], sort: 'chats.closedAt', order: 'desc', limit: 100 }),
];

type CustomerSearch = (d: MixData, now: number) => object;
const CUSTOMER_SEARCHES: CustomerSearch[] = [
  (d) => ({ filter: [{ field: 'customers.email', operator: '~', value: `customer${int(0, d.customers - 1)}` }], limit: 20 }),
  (d) => ({ filter: [{ field: 'customers.name', operator: '~', value: `Customer ${int(1, Math.max(1, Math.floor(d.customers / 100)))}` }], limit: 20 }),
  (_d, now) => ({ filter: [{ field: 'customers.countryCode', operator: '=', value: 'DE' }, { field: 'customers.lastSeen', operator: '>', value: now - 14 * DAY }], sort: 'lastSeen', order: 'desc', limit: 20 }),
  (d) => ({ filter: [{ field: 'customers.userId', operator: '=', value: `user-${int(0, d.customers - 1)}` }] }),
];

const CUSTOMER_TEXTS = ['Any news on my order?', 'The tracking link does not work.', 'Thanks, that helped!', 'Can I still change the size?'];
const AGENT_TEXTS = ['Let me check that for you.', 'Your parcel left the warehouse this morning.', 'I have refunded the second payment.'];
