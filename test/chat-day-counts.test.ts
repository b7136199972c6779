// Unfiltered chat lists count and seek through chat_day_counts (migration 0007, issue 3 (iv)).
// The claim is exactness: every page of every walk, in both created orders and through both
// endpoints, equals the plain `ORDER BY created_at, id OFFSET n` answer, and `meta.total` the
// real count — for chats written before the migration (backfill) and after it (triggers),
// with ties on created_at at day edges, chats deleted or moved, and several organizations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../src/db/migrate.ts';
import { buildTestApp, client, type Client, type TestApp } from './helpers/app.ts';
import { factories } from './helpers/factories.ts';
import { databaseMigratedTo } from './helpers/migrated-before.ts';

const DAY = 86_400;
const D0 = 19_700 * DAY; // a UTC midnight (2023-12-09)

let t: TestApp;
let f: ReturnType<typeof factories>;
const orgs: Array<{ id: number; applicationId: number; api: Client }> = [];

async function chatAt(org: (typeof orgs)[number], createdAt: number, customerId?: number) {
  t.clock.set(createdAt);
  return f.legacyChat(org.id, { applicationId: org.applicationId, customerId }); // written before and after migration 0007 alike
}

/** the plain answer: every chat of the organization in created order, straight from the table */
async function expectedIds(orgId: number, direction: 'asc' | 'desc'): Promise<number[]> {
  const rows = await t.database.db.selectFrom('chats').select('id').where('organization_id', '=', orgId)
    .orderBy('created_at', direction).orderBy('id', direction).execute();
  return rows.map((r) => r.id);
}

/** every offset 0..total+1 with a small limit, through GET and the empty search, both orders */
async function expectWalksExact(org: (typeof orgs)[number]) {
  for (const direction of ['asc', 'desc'] as const) {
    const all = await expectedIds(org.id, direction);
    for (let offset = 0; offset <= all.length + 1; offset++) {
      const get = await org.api.get(`/v1/chats?offset=${offset}&limit=3&order=${direction}`);
      expect(get.status).toBe(200);
      expect({ offset, direction, ids: get.body.data.map((c: { id: number }) => c.id) }).toEqual({ offset, direction, ids: all.slice(offset, offset + 3) });
      expect(get.body.meta.total).toBe(all.length);
    }
    const search = await org.api.post('/v1/chats/search', { sort: 'chats.createdAt', order: direction, offset: 5, limit: 4 });
    expect(search.body.data.map((c: { id: number }) => c.id)).toEqual(all.slice(5, 9));
    expect([search.body.meta.total, search.body.total]).toEqual([all.length, all.length]);
  }
}

beforeAll(async () => {
  const fresh = await databaseMigratedTo('0006_webhook_interest');
  t = await buildTestApp({ database: fresh });
  f = factories(t.database, t.clock);
  for (let i = 0; i < 3; i++) {
    const org = await f.org();
    orgs.push({ id: org.id, applicationId: org.applicationId, api: client(t.app, org.apiKey) });
  }
  // Before the migration: ties on the last second of a day and the first of the next, in two
  // organizations interleaved, and a day with one chat.
  for (const at of [D0 + 10, D0 + DAY - 1, D0 + DAY - 1, D0 + DAY, D0 + DAY, D0 + DAY + 5, D0 + 3 * DAY + 7]) {
    await chatAt(orgs[0], at);
    await chatAt(orgs[1], at + 1);
  }
  await migrateDatabase(t.database);
});
afterAll(() => t.close());

describe('chat totals and deep offsets from day counts (migration 0007)', () => {
  it('chats written before the migration: walks in both orders equal the plain OFFSET answer', async () => {
    await expectWalksExact(orgs[0]);
    await expectWalksExact(orgs[1]);
  });

  it('chats created after it, on day edges and in the middle of older days, are counted and found', async () => {
    const customer = await f.customer(orgs[0].id);
    for (const at of [D0 - 1, D0, D0 + DAY - 1, D0 + 2 * DAY, D0 + 2 * DAY, D0 + DAY]) await chatAt(orgs[0], at, customer.id);
    // the seek first sums 32-day groups (day 19712 = 616 × 32 starts one), then reads one group's days;
    // and days and groups before 1970 are floor-divided like the others
    for (const at of [D0 + 12 * DAY - 1, D0 + 12 * DAY, D0 + 12 * DAY, D0 + 44 * DAY + 3, -5, -DAY * 40, 100]) await chatAt(orgs[0], at, customer.id);
    await chatAt(orgs[1], D0 + DAY);
    await expectWalksExact(orgs[0]);
    await expectWalksExact(orgs[1]);
  });

  it('deleting a customer takes its chats out of the counts', async () => {
    const customer = await f.customer(orgs[0].id);
    for (const at of [D0 + DAY - 1, D0 + DAY, D0 + 5 * DAY]) await chatAt(orgs[0], at, customer.id);
    const before = (await orgs[0].api.get('/v1/chats?limit=1')).body.meta.total;
    expect((await orgs[0].api.delete(`/v1/customers/${customer.id}`)).status).toBe(200);
    expect((await orgs[0].api.get('/v1/chats?limit=1')).body.meta.total).toBe(before - 3);
    await expectWalksExact(orgs[0]);
  });

  it('a chat whose created_at moves to another day is counted in its new day', async () => {
    const chat = await chatAt(orgs[1], D0 + 10);
    await t.database.write((trx) => trx.updateTable('chats').set({ created_at: D0 + 4 * DAY + 1 }).where('id', '=', chat.id).execute());
    const other = await chatAt(orgs[1], D0 + 20);
    await t.database.write((trx) => trx.updateTable('chats').set({ created_at: D0 + 21 }).where('id', '=', other.id).execute());
    await expectWalksExact(orgs[1]);
  });

  it('an organization without chats: total 0, every offset empty', async () => {
    for (const offset of [0, 1, 500_000]) {
      const res = await orgs[2].api.get(`/v1/chats?offset=${offset}`);
      expect(res.body).toEqual({ data: [], meta: { total: 0 } });
    }
  });

  it('other sorts page as before and share the total', async () => {
    const all = await t.database.db.selectFrom('chats').select('id').where('organization_id', '=', orgs[0].id)
      .orderBy('closed_at', 'asc').orderBy('id', 'asc').execute();
    const res = await orgs[0].api.get('/v1/chats?sort=closedAt&offset=2&limit=5');
    expect(res.body.data.map((c: { id: number }) => c.id)).toEqual(all.slice(2, 7).map((r) => r.id));
    expect(res.body.meta.total).toBe(all.length);
  });
});
