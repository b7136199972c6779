// Search totals answered from memory (modules/search/totals-cache.ts) are never stale: after
// any write — through the API, a cascade, or another connection to the same file — the next
// search counts again. On PostgreSQL the cache is off and every total is counted.
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlitePath } from '../src/db/sqlite.ts';
import { CHAT_FIELDS } from '../src/modules/chats/chat-search.fields.ts';
import { totalDepends } from '../src/modules/chats/chat-search.service.ts';
import type { FieldSpec, Filter } from '../src/modules/search/filter.ts';
import { totalsCacheStats, VERSIONED_CUSTOMER_COLUMNS } from '../src/modules/search/totals-cache.ts';
import { buildTestApp, client, freshDatabase, TEST_DB, type Client, type TestApp } from './helpers/app.ts';
import { factories } from './helpers/factories.ts';

let t: TestApp;
let url: string;
let f: ReturnType<typeof factories>;
let org: Awaited<ReturnType<ReturnType<typeof factories>['org']>>;
let api: Client;
let otherApi: Client;
const sqlite = TEST_DB === 'sqlite';

const GMAIL = { filter: [{ field: 'chats.customer.email', operator: '~', value: 'gmail' }], limit: 1 };
const total = async (a: Client, body: object = GMAIL) => {
  const res = await a.post('/v1/chats/search', body);
  expect(res.status).toBe(200);
  expect(res.body.total).toBe(res.body.meta.total);
  return res.body.total as number;
};
const hits = () => totalsCacheStats(t.database.db).hits;
/** totals a customer-field search looks up: its own and the organization's (which sizes its page walk) */
const LOOKUPS = 2;

beforeAll(async () => {
  const fresh = await freshDatabase();
  url = fresh.url;
  t = await buildTestApp({ database: fresh });
  f = factories(t.database, t.clock);
  org = await f.org();
  api = client(t.app, org.apiKey);
  const other = await f.org();
  otherApi = client(t.app, other.apiKey);
  for (const email of ['a@gmail.com', 'b@GMAIL.com', 'c@corp.test']) {
    const c = await f.customer(org.id, { email });
    await f.chat(org.id, { applicationId: org.applicationId, customerId: c.id });
  }
  const foreign = await f.customer(other.id, { email: 'x@gmail.com' });
  await f.chat(other.id, { applicationId: other.applicationId, customerId: foreign.id });
});
afterAll(() => t.close());

describe('search totals from memory', () => {
  it('the same search again with nothing written is answered from memory (SQLite) with the same total', async () => {
    expect(await total(api)).toBe(2);
    const before = hits();
    expect(await total(api)).toBe(2);
    expect(hits() - before).toBe(sqlite ? LOOKUPS : 0);
  });

  it('organizations and filters never share a total', async () => {
    expect(await total(otherApi)).toBe(1);
    expect(await total(api, { filter: [{ field: 'chats.customer.email', operator: '~', value: 'corp' }] })).toBe(1);
    expect(await total(api, { filter: [{ field: 'chats.customer.email', operator: '!~', value: 'gmail' }] })).toBe(1);
    expect(await total(api)).toBe(2);
  });

  it('a chat created through the API is counted by the next search', async () => {
    await total(api);
    const c = await f.customer(org.id, { email: 'd@gmail.com' });
    await f.chat(org.id, { applicationId: org.applicationId, customerId: c.id });
    expect(await total(api)).toBe(3);
  });

  it("the unfiltered list's total (the organization's, remembered too) counts a new chat at once", async () => {
    const listTotal = async () => (await api.get('/v1/chats?limit=1')).body.meta.total as number;
    const before = await listTotal();
    expect(await listTotal()).toBe(before);
    await f.chat(org.id, { applicationId: org.applicationId });
    expect(await listTotal()).toBe(before + 1);
    const c = await f.customer(org.id, { email: 'z@corp.test' }); // a chat the gmail search must not count
    await f.chat(org.id, { applicationId: org.applicationId, customerId: c.id });
    expect(await listTotal()).toBe(before + 2);
    expect(await total(api)).toBe(3);
  });

  it('a customer whose email changes, or who is deleted with their chats, leaves the total at once', async () => {
    const c = await f.customer(org.id, { email: 'e@gmail.com' });
    await f.chat(org.id, { applicationId: org.applicationId, customerId: c.id });
    await f.chat(org.id, { applicationId: org.applicationId, customerId: c.id });
    expect(await total(api)).toBe(5);
    expect((await api.patch(`/v1/customers/${c.id}`, { email: 'e@corp.test' })).status).toBe(200);
    expect(await total(api)).toBe(3);
    expect((await api.patch(`/v1/customers/${c.id}`, { email: 'e@gmail.com' })).status).toBe(200);
    expect(await total(api)).toBe(5);
    expect((await api.delete(`/v1/customers/${c.id}`)).status).toBe(200);
    expect(await total(api)).toBe(3);
  });

  it('a chat another connection writes to the database file is counted by the next search', async () => {
    expect(await total(api)).toBe(3);
    const customerId = (await f.customer(org.id, { email: 'f@gmail.com' })).id;
    expect(await total(api)).toBe(3);
    if (sqlite) {
      // another process's commit (the CLI beside the server): only PRAGMA data_version shows it
      const other = new BetterSqlite3(sqlitePath(url));
      other.prepare(`insert into chats (organization_id, customer_id, status, created_at, updated_at, created_with)
        values (?, ?, 'new', 1700000000, 1700000000, 'public_api')`).run(org.id, customerId);
      other.close();
    } else {
      await t.database.write((trx) =>
        trx.insertInto('chats').values({
          organization_id: org.id, customer_id: customerId, status: 'new', created_at: 1_700_000_000, updated_at: 1_700_000_000, created_with: 'public_api',
        } as never).execute(),
      );
    }
    expect(await total(api)).toBe(4);
  });

  it('a committed write batch that changed a row, any row, makes a search on chat fields count again', async () => {
    const NEW = { filter: [{ field: 'chats.status', operator: '=', value: 'new' }], limit: 1 };
    await total(api, NEW);
    const before = totalsCacheStats(t.database.db);
    await t.database.write((trx) => trx.updateTable('organizations').set({ name: 'Renamed' }).where('id', '=', -1).execute()); // no row
    await t.database.write((trx) => trx.updateTable('organizations').set({ name: 'Renamed' }).execute()); // rows no search reads
    await total(api, NEW);
    const after = totalsCacheStats(t.database.db);
    expect([after.hits - before.hits, after.misses - before.misses]).toEqual(sqlite ? [0, 1] : [0, 0]);
  });

  it('a total over customer fields outlives writes that cannot change it: messages, status changes, other tables', async () => {
    const c = await f.customer(org.id, { email: 'talker@gmail.com' });
    const chat = await f.chat(org.id, { applicationId: org.applicationId, customerId: c.id });
    const expected = await total(api);
    const before = totalsCacheStats(t.database.db);
    expect((await api.post('/v1/messages', { chat: chat.id, text: 'Where is my order?' })).status).toBe(200);
    expect((await api.put('/v1/chats/status', { id: chat.id, status: 'closed' })).status).toBe(200);
    await t.database.write((trx) => trx.updateTable('organizations').set({ name: 'Renamed again' }).execute());
    await t.database.write((trx) => trx.updateTable('customers').set({ last_seen: 1_700_000_001 }).where('id', '=', c.id).execute());
    expect(await total(api)).toBe(expected);
    const after = totalsCacheStats(t.database.db);
    // the filtered total from memory; the organization's (it sizes the page walk) counted again
    expect([after.hits - before.hits, after.misses - before.misses]).toEqual(sqlite ? [1, 1] : [0, 0]);
  });

  it('... and is counted again after a customer is created, even one without chats', async () => {
    await total(api);
    const before = totalsCacheStats(t.database.db);
    await f.customer(org.id, { email: 'quiet@gmail.com' });
    await total(api);
    const after = totalsCacheStats(t.database.db);
    expect([after.hits - before.hits, after.misses - before.misses]).toEqual(sqlite ? [0, LOOKUPS] : [0, 0]);
  });

  it.skipIf(!sqlite)("without migration 0010's version row, customer-field totals follow any write again", async () => {
    await t.database.write((trx) => trx.deleteFrom('customer_search_version').execute());
    const before = await total(api); // remembered without a version
    const other = new BetterSqlite3(sqlitePath(url));
    try {
      const c = other.prepare(`insert into customers (organization_id, email, unsubscribed, blocked, custom_data, created_at, updated_at)
        values (?, 'late@gmail.com', 0, 0, '{}', 1700000000, 1700000000)`).run(org.id);
      other.prepare(`insert into chats (organization_id, customer_id, status, created_at, updated_at, created_with)
        values (?, ?, 'new', 1700000000, 1700000000, 'public_api')`).run(org.id, c.lastInsertRowid);
    } finally {
      other.close();
    }
    expect(await total(api)).toBe(before + 1);
  });

  it('a write batch that changed no row (the idle webhook worker polls every second) keeps the total remembered', async () => {
    await total(api);
    const before = totalsCacheStats(t.database.db);
    await t.database.write(async () => {});
    await t.database.write((trx) => trx.selectFrom('webhook_deliveries').select('id').execute());
    await total(api);
    const after = totalsCacheStats(t.database.db);
    expect([after.hits - before.hits, after.misses - before.misses]).toEqual(sqlite ? [LOOKUPS, 0] : [0, 0]);
  });

  it('with SEARCH_TOTALS_CACHE off every total is counted', async () => {
    const off = await buildTestApp({ config: { searchTotalsCache: false } });
    try {
      const g = factories(off.database, off.clock);
      const o = await g.org();
      const c = await g.customer(o.id, { email: 'z@gmail.com' });
      await g.chat(o.id, { applicationId: o.applicationId, customerId: c.id });
      const a = client(off.app, o.apiKey);
      expect([await total(a), await total(a)]).toEqual([1, 1]);
      expect(totalsCacheStats(off.database.db).hits).toBe(0);
    } finally {
      await off.close();
    }
  });
});


// The narrow "customers" stamp is declared once (VERSIONED_CUSTOMER_COLUMNS) and must match what
// migration 0010's triggers version; a field that takes it but is not versioned would answer a
// stale total after a rename.
describe('what a customer-field total depends on', () => {
  type StringSpec = Extract<FieldSpec, { kind: 'string' }>;
  const customerFields = (Object.entries(CHAT_FIELDS) as Array<[string, FieldSpec]>).filter(
    (entry): entry is [string, StringSpec] => entry[1].kind === 'string' && entry[1].through !== undefined,
  );
  const column = (spec: StringSpec) => spec.column.replace(/^cu\./, '');
  const only = (spec: FieldSpec): Filter => ({ conditions: [{ spec, operator: '~', value: 'x' }] }) as unknown as Filter;

  it.skipIf(!sqlite)("every declared column is one migration 0010's triggers version, on insert, delete and update", async () => {
    const triggers = await t.database.db
      .selectFrom('sqlite_master' as never)
      .select(['name' as never, 'sql' as never])
      .where('type' as never, '=', 'trigger' as never)
      .where('tbl_name' as never, '=', 'customers' as never)
      .execute() as Array<{ name: string; sql: string }>;
    const bumps = triggers.filter((tr) => /customer_search_version/.test(tr.sql));
    expect(bumps.some((tr) => /after insert on customers/i.test(tr.sql))).toBe(true);
    expect(bumps.some((tr) => /after delete on customers/i.test(tr.sql))).toBe(true);
    const update = bumps.map((tr) => /after update of ([\w\s,]+) on customers/i.exec(tr.sql)).find(Boolean);
    const versioned = new Set(update![1].split(',').map((c) => c.trim()));
    expect([...VERSIONED_CUSTOMER_COLUMNS].filter((c) => !versioned.has(c))).toEqual([]);
  });

  it('a customer field takes the narrow stamp exactly when its column is declared versioned', () => {
    expect(customerFields.length).toBeGreaterThan(0);
    for (const [, spec] of customerFields) expect(totalDepends(only(spec))).toBe(VERSIONED_CUSTOMER_COLUMNS.has(column(spec)) ? 'customers' : 'database');
    // a field added on an unversioned column (the customer's name) counts on the whole database
    const name: FieldSpec = { kind: 'string', column: 'cu.name', through: { fk: 'c.customer_id' } };
    expect(totalDepends(only(name))).toBe('database');
  });

  // The API field of each customer column a chat search can read through the customer
  const PATCHED: Record<string, string> = { email: 'email', user_id: 'userId' };

  it('a rename of any such field changes the total at once', async () => {
    for (const [field, spec] of customerFields) {
      const apiField = PATCHED[column(spec)];
      expect(apiField, `${field}: which customer field does a PATCH change?`).toBeDefined();
      const value = `renamed-${column(spec)}-${Math.random().toString(36).slice(2, 8)}`;
      const c = await f.customer(org.id, { email: `before-${Math.random().toString(36).slice(2, 8)}@example.test` });
      await f.chat(org.id, { applicationId: org.applicationId, customerId: c.id });
      const search = { filter: [{ field: `chats.${field}`.replace('chats.customers.', 'customers.'), operator: '~', value }], limit: 1 };
      expect(await total(api, search)).toBe(0);
      expect(await total(api, search)).toBe(0); // remembered
      expect((await api.patch(`/v1/customers/${c.id}`, { [apiField]: apiField === 'email' ? `${value}@example.test` : value })).status).toBe(200);
      expect(await total(api, search), field).toBe(1);
    }
  });
});
