// Bulk rows of the search dataset: customers (with tags), chats and chat_agents, written with
// prepared better-sqlite3 statements in large transactions. The migrations' secondary
// indexes are dropped first and re-created from their own DDL text (sqlite_master) afterwards,
// so the schema stays exactly migrate()'s while a million inserts skip index upkeep: measured
// 1M chats + 200k customers, 2 cores: 31 s this way, 53 s with the indexes kept in place.
import BetterSqlite3 from 'better-sqlite3';
import { chatRow, customerRow, picker, seededRandom, type ChatContext } from './search-rows.ts';

export interface Progress {
  /** an intermediate state (shown in place on a terminal) */
  step(line: string): void;
  /** a finished phase */
  done(line: string): void;
}

export interface BulkInput {
  chats: number;
  customers: number;
  orgId: number;
  applicationId: number;
  agentIds: number[];
  agentDepartment: number[];
  departmentIds: number[];
}

const BATCH = 50_000;
const DAY = 86_400;
const SPAN = 730 * DAY; // two years of history
const TABLES = ['customers', 'customer_tags', 'chats', 'chat_agents'];
const TAG_COLORS: Record<string, string> = { vip: '#e0a800', trial: '#5bc0de', enterprise: '#337ab7', 'churn-risk': '#d9534f' };

export async function insertRows(path: string, input: BulkInput, log: Progress, dropIndexes = true) {
  const sqlite = new BetterSqlite3(path);
  const phases: Record<string, number> = {};
  const phase = async (name: string, work: () => Promise<void> | void) => {
    const t = performance.now();
    await work();
    phases[name] = Math.round(performance.now() - t);
    log.done(`${name}: ${(phases[name] / 1000).toFixed(1)} s`);
  };
  try {
    // Generation only: an interrupted run regenerates from scratch, so no journal, no fsync.
    sqlite.pragma('journal_mode = OFF');
    sqlite.pragma('synchronous = OFF');
    sqlite.pragma('locking_mode = EXCLUSIVE');
    sqlite.pragma('temp_store = MEMORY');
    sqlite.pragma('cache_size = -1000000'); // 1 GB: index builds sort in memory
    const indexes = sqlite
      .prepare(`select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${TABLES.map(() => '?').join(',')})`)
      .all(...TABLES) as Array<{ name: string; sql: string }>;
    if (dropIndexes) for (const { name } of indexes) sqlite.exec(`drop index "${name}"`);

    const random = seededRandom(20_240_601);
    const now = Math.floor(Date.now() / 1000);
    const from = now - SPAN;
    await phase(`${input.customers.toLocaleString('en-US')} customers`, () => insertCustomers(sqlite, input, random, from, log));
    const firstCustomer = (sqlite.prepare('select min(id) as id from customers').get() as { id: number }).id;
    const agentDepartment = new Map(input.agentIds.map((id, i) => [id, input.agentDepartment[i]]));
    const ctx: ChatContext = {
      random,
      // a tenth of the customers come back often and hold about a third of the chats
      pickCustomer: (r) => firstCustomer + (r < 0.3 ? Math.floor((r / 0.3) * input.customers * 0.1) : Math.floor(((r - 0.3) / 0.7) * input.customers)),
      // some agents carry more chats than others (part-timers, leads)
      pickAgent: picker(input.agentIds.map((id, i) => [id, 1 + (i % 7) / 3])),
      departmentOf: (agent) => agentDepartment.get(agent)!,
      departments: input.departmentIds,
    };
    await phase(`${input.chats.toLocaleString('en-US')} chats`, () => insertChats(sqlite, input, ctx, from, log));
    if (dropIndexes) {
      await phase(`${indexes.length} indexes`, () => {
        for (const { name, sql } of indexes) {
          log.step(`index ${name}`);
          sqlite.exec(sql);
        }
      });
    }
    const ids = sqlite.prepare('select min(id) as first, max(id) as last from chats').get() as { first: number; last: number };
    // Leave the file as a deployment has it: WAL mode, released for the server to open.
    sqlite.pragma('locking_mode = NORMAL');
    sqlite.pragma('journal_mode = WAL');
    return { firstChatId: ids.first, lastChatId: ids.last, phases };
  } finally {
    sqlite.close();
  }
}

/** Runs `row(i)` for i in [0, total) in transactions of BATCH rows, yielding between them. */
async function inBatches(sqlite: BetterSqlite3.Database, total: number, what: string, log: Progress, row: (i: number) => void) {
  const started = performance.now();
  for (let start = 0; start < total; start += BATCH) {
    const end = Math.min(total, start + BATCH);
    sqlite.transaction(() => {
      for (let i = start; i < end; i++) row(i);
    })();
    const s = (performance.now() - started) / 1000;
    log.step(`${what} ${end.toLocaleString('en-US')}/${total.toLocaleString('en-US')} (${Math.round((100 * end) / total)}%, ${s.toFixed(1)} s)`);
    await new Promise((r) => setImmediate(r)); // lets a Ctrl-C through
  }
}

function insertCustomers(sqlite: BetterSqlite3.Database, input: BulkInput, random: () => number, from: number, log: Progress) {
  const customer = sqlite.prepare(
    `insert into customers (organization_id, name, email, user_id, company, first_seen, last_seen, country_code, city,
       locale, created_from, custom_data, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'en', 'widget', '{}', ?, ?)`,
  );
  const tag = sqlite.prepare('insert into customer_tags (organization_id, customer_id, name, color) values (?, ?, ?, ?)');
  return inBatches(sqlite, input.customers, 'customers', log, (i) => {
    const c = customerRow(i, random, from, SPAN);
    const lastSeen = c.firstSeen + Math.floor(random() * 90 * DAY);
    const { lastInsertRowid } = customer.run(input.orgId, c.name, c.email, c.userId, c.company, c.firstSeen, lastSeen, c.country, c.city, c.firstSeen, lastSeen);
    for (const name of c.tags) tag.run(input.orgId, lastInsertRowid, name, TAG_COLORS[name] ?? '#c377e0');
  });
}

function insertChats(sqlite: BetterSqlite3.Database, input: BulkInput, ctx: ChatContext, from: number, log: Progress) {
  const chat = sqlite.prepare(
    `insert into chats (organization_id, customer_id, application_id, assignee_id, department_id, status, closed_by, closed_at,
       rating, created_at, updated_at, last_message_at, last_customer_message_at, read_by_agent, read_by_customer,
       created_with, last_message_text, last_communicated_agent_id)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`,
  );
  const writer = sqlite.prepare('insert into chat_agents (organization_id, chat_id, agent_id, created_at) values (?, ?, ?, ?)');
  const step = SPAN / input.chats;
  return inBatches(sqlite, input.chats, 'chats', log, (i) => {
    // floor((i + r) * step) never decreases with i: createdAt ascends with the chat id
    const c = chatRow(from + Math.floor((i + ctx.random()) * step), ctx);
    const { lastInsertRowid } = chat.run(
      input.orgId, c.customer, input.applicationId, c.assignee, c.department, c.status, c.closedBy, c.closedAt,
      c.rating, c.createdAt, c.updatedAt, c.lastMessageAt, c.lastCustomerMessageAt, c.readByAgent,
      c.createdWith, c.lastMessageText, c.lastAgent,
    );
    for (const [agent, at] of c.writers) writer.run(input.orgId, lastInsertRowid, agent, at);
  });
}
