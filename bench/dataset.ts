// Builds the benchmark database: the organization and its agents through the project's own
// services (so keys, applications and agents are exactly what production writes), then
// customers and chats in bulk with better-sqlite3 on the same file, because 100,000 chats
// through one-transaction-per-row services would take minutes instead of a second. The rows
// themselves (customerRow, chatRow) are shared with the PostgreSQL writer (pg-dataset.ts), so
// both databases hold the same data.
import BetterSqlite3 from 'better-sqlite3';
import { openDatabase } from '../src/db/database.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import type { ChatStatus } from '../src/db/schema.ts';
import { systemClock } from '../src/lib/clock.ts';
import { createAgent } from '../src/modules/agents/agents.service.ts';
import { createDepartment } from '../src/modules/departments/departments.service.ts';
import { createOrganization } from '../src/modules/organizations/organizations.service.ts';

export interface DatasetSize {
  agents: number;
  customers: number;
  chats: number;
}

export interface Dataset {
  /** the SQLite file (pg-dataset.ts: the database URL) */
  path: string;
  apiKey: string;
  orgId: number;
  agentIds: number[];
  /** chat ids are contiguous in a fresh database: [firstChatId, lastChatId] */
  firstChatId: number;
  lastChatId: number;
  generationMs: number;
  /** the organization's two departments (set by buildDataset and buildPgDataset) */
  departmentIds?: number[];
}

/** the organization buildDataset creates; the default's limit never trips */
export interface DatasetOrg {
  name: string;
  rateLimitPerMinute: number;
}

const BENCH_ORG: DatasetOrg = { name: 'Bench Support', rateLimitPerMinute: 1_000_000_000 };

const BATCH = 10_000;
const STATUSES: ChatStatus[] = ['new', 'opened', 'opened', 'pending', 'onhold', 'closed', 'closed', 'no communication'];
const TEXTS = [
  'Hi, my order has not arrived yet. Could you check where it is?',
  'Can I change my delivery address before the parcel ships?',
  'Thanks, I will try that and come back to you.',
  'The payment went through twice, please refund one of them.',
];

export const CUSTOMER_COLUMNS = [
  'organization_id', 'name', 'email', 'user_id', 'company', 'first_seen', 'last_seen', 'country_code', 'city',
  'locale', 'created_from', 'custom_data', 'created_at', 'updated_at',
] as const;

/** customer `i`'s values, in CUSTOMER_COLUMNS order; `now` in UNIX seconds */
export function customerRow(orgId: number, i: number, now: number): unknown[] {
  const at = now - 86_400 * 30 + i;
  return [orgId, `Customer ${i}`, `customer${i}@example.com`, `user-${i}`, 'Example GmbH', at, at + 60, 'DE', 'Berlin', 'en', 'widget', '{"plan":"pro"}', at, at];
}

export const CHAT_COLUMNS = [
  'organization_id', 'customer_id', 'application_id', 'department_id', 'status', 'closed_by', 'closed_at', 'created_at',
  'updated_at', 'last_message_at', 'last_customer_message_at', 'read_by_agent', 'read_by_customer', 'created_with', 'last_message_text',
] as const;

export interface ChatOwners {
  org: { id: number; applicationId: number };
  departmentIds: number[];
  firstCustomerId: number;
  customers: number;
}

/** chat `i`'s values, in CHAT_COLUMNS order. assignee_id stays null: only assignChat writes it (DESIGN rule 2). */
export function chatRow(o: ChatOwners, i: number, now: number): unknown[] {
  const status = STATUSES[i % STATUSES.length];
  const at = now - 86_400 * 30 + i * 10;
  const closed = status === 'closed';
  return [o.org.id, o.firstCustomerId + (i % o.customers), o.org.applicationId, o.departmentIds[i % 2], status,
    closed ? 'agent' : null, closed ? at + 1800 : null, at, at + 60, at + 60, at, status === 'new' ? 0 : 1, 1, 'customer_message', TEXTS[i % TEXTS.length]];
}

const insertSql = (table: string, columns: readonly string[]) => `insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`;

/**
 * Adds one organization's rows to the file at `path` (created when missing). Called again on
 * the same file it adds another organization: every id read back is scoped to the new one.
 */
export async function buildDataset(path: string, size: DatasetSize, progress: (line: string) => void, orgSpec: DatasetOrg = BENCH_ORG): Promise<Dataset> {
  const started = performance.now();
  const { org, agentIds, departmentIds } = await createOrgAndAgents(`sqlite:${path}`, size.agents, orgSpec);
  progress(`organization ${org.id}, ${agentIds.length} agents`);

  const sqlite = new BetterSqlite3(path);
  try {
    // Generation only: a crash just means running the bench again, so no fsync per batch.
    sqlite.pragma('synchronous = OFF');
    const now = Math.floor(Date.now() / 1000);
    const insertCustomer = sqlite.prepare(insertSql('customers', CUSTOMER_COLUMNS));
    await inBatches(size.customers, 'customers', progress, sqlite, (i) => insertCustomer.run(...customerRow(org.id, i, now)));
    const firstCustomerId = (sqlite.prepare('select min(id) as id from customers where organization_id = ?').get(org.id) as { id: number }).id;

    const owners: ChatOwners = { org, departmentIds, firstCustomerId, customers: size.customers };
    const insertChat = sqlite.prepare(insertSql('chats', CHAT_COLUMNS));
    await inBatches(size.chats, 'chats', progress, sqlite, (i) => insertChat.run(...chatRow(owners, i, now)));
    const ids = sqlite.prepare('select min(id) as first, max(id) as last from chats where organization_id = ?').get(org.id) as { first: number; last: number };
    // Fold the WAL into the main file so the server starts from a compact database.
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    return {
      path,
      apiKey: org.apiKey,
      orgId: org.id,
      agentIds,
      firstChatId: ids.first,
      lastChatId: ids.last,
      generationMs: performance.now() - started,
      departmentIds,
    };
  } finally {
    sqlite.close();
  }
}

/** The organization (with its application and API key), two departments and the agents, in the database at `url`. */
export async function createOrgAndAgents(url: string, agents: number, orgSpec: DatasetOrg = BENCH_ORG) {
  const database = openDatabase(url, { sqliteSynchronous: 'normal' });
  try {
    await migrateDatabase(database);
    // The org's own limit wins over the server default (API.md §1): by default high enough never
    // to trip; the soak gives each organization a real one and drives it just under.
    const org = await createOrganization(database, systemClock, orgSpec);
    const departmentIds: number[] = [];
    for (const name of ['Sales', 'Support']) {
      departmentIds.push((await createDepartment(database, systemClock, { orgId: org.id, name })).id);
    }
    const agentIds: number[] = [];
    for (let i = 1; i <= agents; i++) {
      const role = i === 1 ? 'admin' : 'agent';
      const agent = await createAgent(database, systemClock, { orgId: org.id, name: `Agent ${i}`, email: `agent${i}@bench.handoff.local`, role });
      agentIds.push(agent.id);
    }
    return { org, agentIds, departmentIds };
  } finally {
    await database.close();
  }
}

/** Runs `row(i)` for i in [0, total) in transactions of BATCH rows, reporting after each. */
async function inBatches(total: number, what: string, progress: (line: string) => void, sqlite: BetterSqlite3.Database, row: (i: number) => void) {
  for (let start = 0; start < total; start += BATCH) {
    const end = Math.min(total, start + BATCH);
    sqlite.transaction(() => {
      for (let i = start; i < end; i++) row(i);
    })();
    progress(`${what} ${end.toLocaleString('en-US')}/${total.toLocaleString('en-US')}`);
    // Yield so a Ctrl-C during generation is handled promptly.
    await new Promise((r) => setImmediate(r));
  }
}
