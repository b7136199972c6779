// Chat searches on the customer's email / userId through migration 0008: totals summed from
// customer_chat_counts and, on SQLite, customers narrowed by the customer_trigrams index. The
// oracle is the plain SQL of before (a join and `lower(column) like`): for every value — case,
// quotes, LIKE's own characters, non-ASCII, under three characters — the answer (ids and total)
// must equal it, for rows written before the migration (backfill) and after it (triggers),
// through email changes, customer deletes and a chat moved to another customer.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../src/db/migrate.ts';
import { containsPattern } from '../src/modules/search/sql.ts';
import { buildTestApp, client, type Client, type TestApp } from './helpers/app.ts';
import { factories } from './helpers/factories.ts';
import { databaseMigratedTo } from './helpers/migrated-before.ts';

let t: TestApp;
let f: ReturnType<typeof factories>;
let org: { id: number; applicationId: number };
let api: Client;

const EMAILS = ['ann@gmail.com', 'BOB@GMAIL.COM', 'cy_50%@corp.test', null, 'dee"q"@mail.ru', 'x\\y@corp.test', 'Äx.öy@müller.de', 'äx@post.de', 'gm@ai.l'];
const VALUES = ['gmail', 'GMAIL', 'gm', 'ma', 'l.c', '"q"', '50%', '_', 'x\\y', 'äx', 'ÄX', 'müller', '.de', 'zzz', 'u-1'];

async function customerWithChats(orgId: number, appId: number, email: string | null, chats: number, userId: string | null = null) {
  const c = await f.customer(orgId, { email, userId });
  for (let k = 0; k < chats; k++) await f.legacyChat(orgId, { applicationId: appId, customerId: c.id }); // before migration 0008 too
  return c;
}

/** the plain answer: every chat whose customer's column contains `value`, by the LIKE of before */
async function oracle(column: 'email' | 'user_id', value: string, negate: boolean): Promise<number[]> {
  const like = sql`lower(${sql.ref(`cu.${column}`)}) like ${containsPattern(value)} escape '\\'`;
  const test = negate ? sql`(${sql.ref(`cu.${column}`)} is null or not (${like}))` : like;
  const r = await sql<{ id: number }>`select c.id from chats c join customers cu on cu.id = c.customer_id
    where c.organization_id = ${org.id} and ${test} order by c.created_at, c.id`.execute(t.database.db);
  return r.rows.map((row) => row.id);
}

async function expectSameAsOracle() {
  for (const [field, column] of [['chats.customer.email', 'email'], ['chats.customer.userId', 'user_id']] as const) {
    for (const value of VALUES) {
      for (const operator of ['~', '!~']) {
        const res = await api.post('/v1/chats/search', { filter: [{ field, operator, value }], limit: 100 });
        expect(res.status).toBe(200);
        const want = await oracle(column, value, operator === '!~');
        expect({ field, operator, value, ids: res.body.data.map((c: { id: number }) => c.id), total: res.body.total })
          .toEqual({ field, operator, value, ids: want, total: want.length });
      }
    }
  }
  // two customer conditions together are still summed over customers
  const both = await api.post('/v1/chats/search', {
    filter: [{ field: 'chats.customer.email', operator: '~', value: 'gmail' }, { field: 'chats.customer.email', operator: '~', value: 'corp' }],
    comparison: 'OR', limit: 100,
  });
  const either = new Set([...(await oracle('email', 'gmail', false)), ...(await oracle('email', 'corp', false))]);
  expect(both.body.total).toBe(either.size);
}

beforeAll(async () => {
  const fresh = await databaseMigratedTo('0007_chat_day_counts');
  t = await buildTestApp({ database: fresh });
  f = factories(t.database, t.clock);
  const o = await f.org();
  org = { id: o.id, applicationId: o.applicationId };
  api = client(t.app, o.apiKey);
  const other = await f.org();
  // another organization's matching customers must never be counted
  await customerWithChats(other.id, other.applicationId, 'zed@gmail.com', 3, 'u-1');
  for (const [i, email] of EMAILS.entries()) await customerWithChats(o.id, o.applicationId, email, i % 3, i % 2 ? `U-${i}` : null);
  await migrateDatabase(t.database);
});
afterAll(() => t.close());

describe('customer-field searches after migration 0008', () => {
  it('rows written before the migration: ids and totals equal the plain LIKE answer', async () => {
    await expectSameAsOracle();
  });

  it('customers and chats written after it, emails changed, a customer deleted, a chat moved', async () => {
    const fresh = await customerWithChats(org.id, org.applicationId, 'NEW.gmail@x.io', 2, 'u-10');
    const gone = await customerWithChats(org.id, org.applicationId, 'bye@gmail.com', 2);
    await expectSameAsOracle();
    expect((await api.patch(`/v1/customers/${fresh.id}`, { email: 'renamed@corp.test', userId: null })).status).toBe(200);
    expect((await api.delete(`/v1/customers/${gone.id}`)).status).toBe(200);
    const chat = await f.chat(org.id, { applicationId: org.applicationId, customerId: fresh.id });
    const target = await customerWithChats(org.id, org.applicationId, 'target@gmail.com', 0);
    await t.database.write((trx) => trx.updateTable('chats').set({ customer_id: target.id }).where('id', '=', chat.id).execute());
    await expectSameAsOracle();
  });

  it('the counts table holds exactly each customer\'s chats', async () => {
    const counted = await t.database.db.selectFrom('customer_chat_counts').select(['customer_id', 'chats']).where('chats', '>', 0).orderBy('customer_id').execute();
    const real = await sql<{ customer_id: number; chats: number }>`select customer_id, count(*) as chats from chats group by customer_id order by customer_id`.execute(t.database.db);
    expect(counted.map((r) => [r.customer_id, Number(r.chats)])).toEqual(real.rows.map((r) => [r.customer_id, Number(r.chats)]));
  });
});
