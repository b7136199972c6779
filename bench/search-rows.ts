// What the million-chat dataset looks like, row by row: pure functions of a seeded random
// generator, so every machine (and every regeneration) builds the same rows (timestamps
// relative to the generation time) and the search benchmark's numbers compare between runs.
// The working states are spread over the whole two years, as in an inbox nobody cleans up:
// the conservative case for "unassigned new" (~32,000 of them in a million).
import type { ChatStatus } from '../src/db/schema.ts';

/** mulberry32: tiny, fast and good enough for test data; Math.random cannot be seeded */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Weighted<T> = Array<[T, number]>;

/** picks from weighted choices with one random number */
export function picker<T>(choices: Weighted<T>): (r: number) => T {
  const total = choices.reduce((s, [, w]) => s + w, 0);
  let acc = 0;
  const cumulative = choices.map(([v, w]) => [v, (acc += w / total)] as const);
  return (r) => cumulative.find(([, c]) => r < c)?.[0] ?? cumulative[cumulative.length - 1][0];
}

const FIRST = ['Anna', 'Ben', 'Carla', 'David', 'Elena', 'Farid', 'Grace', 'Hugo', 'Ines', 'Jonas', 'Kira', 'Luca', 'Maya', 'Noah', 'Olga', 'Pavel', 'Rosa', 'Sam', 'Tara', 'Yuki'];
const LAST = ['Smith', 'Müller', 'Garcia', 'Rossi', 'Nowak', 'Kim', 'Silva', 'Dubois', 'Jensen', 'Ivanova', 'Tanaka', 'Brown', 'Weber', 'Lopez', 'Novak'];
// Shares of a consumer-heavy support inbox: about a third of addresses end in gmail.com.
const FREE_MAIL: Weighted<string | null> = [
  ['gmail.com', 30], ['yahoo.com', 8], ['hotmail.com', 6], ['outlook.com', 6], ['icloud.com', 4], ['gmx.de', 2], ['mail.ru', 2],
  [null, 42], // a company domain
];
const COMPANY_WORDS = ['acme', 'globex', 'initech', 'umbrella', 'stark', 'wayne', 'hooli', 'vandelay', 'wonka', 'tyrell', 'cyberdyne', 'soylent'];
const TLDS = ['com', 'io', 'de', 'co.uk', 'fr', 'net'];
const TAGS = ['vip', 'trial', 'enterprise', 'churn-risk', 'beta', 'partner', 'newsletter', 'refund'];
const COUNTRIES = [['DE', 'Berlin'], ['US', 'New York'], ['GB', 'London'], ['FR', 'Paris'], ['PL', 'Warsaw'], ['BR', 'São Paulo'], ['JP', 'Tokyo']];

export interface CustomerRow {
  name: string | null;
  email: string | null;
  userId: string | null;
  company: string | null;
  country: string;
  city: string;
  firstSeen: number;
  tags: string[];
}

const freeMail = picker(FREE_MAIL);

export function customerRow(i: number, random: () => number, from: number, span: number): CustomerRow {
  const first = FIRST[Math.floor(random() * FIRST.length)];
  const last = LAST[Math.floor(random() * LAST.length)];
  const free = freeMail(random());
  // ~2,000 distinct company domains, so company addresses repeat like real B2B customers'.
  const company = `${COMPANY_WORDS[i % COMPANY_WORDS.length]}${Math.floor(random() * 170)}`;
  const domain = free ?? `${company}.${TLDS[Math.floor(random() * TLDS.length)]}`;
  // i keeps addresses unique; the lower-case local part is what the widget usually stores.
  const email = random() < 0.88 ? `${first}.${last}${i}@${domain}`.toLowerCase() : null;
  const [country, city] = COUNTRIES[Math.floor(random() * COUNTRIES.length)];
  const tags = random() < 0.25 ? TAGS.filter(() => random() < 0.2) : [];
  return {
    name: random() < 0.9 ? `${first} ${last}` : null,
    email,
    userId: random() < 0.65 ? `u${(i * 7919).toString(36)}` : null,
    company: free === null ? company : null,
    country,
    city,
    // customers arrive over the two years like their chats do
    firstSeen: from + Math.floor(random() * span),
    tags,
  };
}

// Overall mix of a long-running inbox: most chats are closed; a few per cent are in each of
// the working states. "new" and "empty" are mostly unassigned (nobody has picked them up).
const STATUS: Weighted<ChatStatus> = [
  ['closed', 78], ['no communication', 5], ['empty', 2], ['opened', 6], ['pending', 3], ['onhold', 2], ['new', 4],
];
const ASSIGNED_SHARE: Record<ChatStatus, number> = {
  closed: 0.76, opened: 0.95, pending: 0.9, onhold: 0.9, 'no communication': 0.3, new: 0.2, empty: 0,
};
const RATING = picker<string>([['perfect', 50], ['great', 25], ['average', 12], ['poor', 8], ['very poor', 5]]);
const TEXTS = [
  'Hi, my order has not arrived yet. Could you check where it is?',
  'Can I change my delivery address before the parcel ships?',
  'Thanks, I will try that and come back to you.',
  'The payment went through twice, please refund one of them.',
  'How do I reset my password?',
];
const status = picker(STATUS);

export interface ChatRow {
  customer: number;
  assignee: number | null;
  department: number | null;
  status: ChatStatus;
  closedBy: 'agent' | 'customer' | null;
  closedAt: number | null;
  rating: string | null;
  createdAt: number;
  updatedAt: number;
  lastMessageAt: number | null;
  lastCustomerMessageAt: number | null;
  readByAgent: 0 | 1;
  createdWith: string;
  lastMessageText: string | null;
  lastAgent: number | null;
  /** agents who wrote: [agent, at] */
  writers: Array<[number, number]>;
}

export interface ChatContext {
  random: () => number;
  pickCustomer: (r: number) => number;
  pickAgent: (r: number) => number;
  departmentOf: (agent: number) => number;
  departments: number[];
}

/** `createdAt` is given: it grows with the chat id, as it does in a real inbox */
export function chatRow(createdAt: number, ctx: ChatContext): ChatRow {
  const { random } = ctx;
  const s = status(random());
  const assignee = random() < ASSIGNED_SHARE[s] ? ctx.pickAgent(random()) : null;
  const department = assignee !== null && random() < 0.9
    ? ctx.departmentOf(assignee)
    : random() < 0.8 ? ctx.departments[Math.floor(random() * ctx.departments.length)] : null;
  const agentWrote = assignee !== null && s !== 'new';
  const customerWrote = s !== 'empty' && s !== 'no communication';
  const reply = createdAt + 30 + Math.floor(random() * 1800);
  const lastMessageAt = s === 'empty' ? null : s === 'new' ? createdAt : reply + Math.floor(random() * 7200);
  const closed = s === 'closed';
  const closedAt = closed ? (lastMessageAt ?? createdAt) + 60 + Math.floor(random() * 3600) : null;
  const writers: Array<[number, number]> = agentWrote ? [[assignee, reply]] : [];
  if (agentWrote && random() < 0.08) {
    const other = ctx.pickAgent(random());
    if (other !== assignee) writers.push([other, reply + 600]);
  }
  return {
    customer: ctx.pickCustomer(random()),
    assignee,
    department,
    status: s,
    closedBy: closed ? (random() < 0.8 ? 'agent' : 'customer') : null,
    closedAt,
    rating: closed && random() < 0.15 ? RATING(random()) : null,
    createdAt,
    updatedAt: Math.max(createdAt, lastMessageAt ?? 0, closedAt ?? 0),
    lastMessageAt,
    lastCustomerMessageAt: customerWrote ? createdAt : null,
    readByAgent: s === 'new' ? 0 : 1,
    createdWith: s === 'no communication' ? 'agent_message' : s === 'empty' ? 'public_api' : 'customer_message',
    lastMessageText: lastMessageAt === null ? null : TEXTS[Math.floor(random() * TEXTS.length)],
    lastAgent: agentWrote ? assignee : null,
    writers,
  };
}
