// PostgreSQL: a write chosen as a deadlock victim is run again by database.write() instead of
// failing its request (db/postgres.ts). Two writes lock the same two rows in opposite orders,
// each waiting for the other once it holds its first row: PostgreSQL aborts one, write() runs
// it again, and both changes are committed.
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freshDatabase, TEST_DB, type TestDatabase } from './helpers/app.ts';

let fresh: TestDatabase;
beforeAll(async () => {
  if (TEST_DB === 'postgres') fresh = await freshDatabase();
});
afterAll(async () => {
  if (!fresh) return;
  await fresh.database.close();
  await fresh.drop();
});

it.skipIf(TEST_DB !== 'postgres')('a deadlock victim is retried: both writes commit', async () => {
  const { database } = fresh;
  const orgs = await database.write((trx) =>
    trx.insertInto('organizations').values([0, 1].map((i) => ({ name: `o${i}`, domain: `o${i}`, chat_enabled: 1, rate_limit_per_minute: null, webhook_signing_key: 'k', created_at: 1 }))).returning('id').execute(),
  );
  const [a, b] = orgs.map((o) => o.id);
  let runs = 0;
  let bothHoldOne: () => void;
  const held = new Promise<void>((resolve) => (bothHoldOne = resolve));
  let holding = 0;
  const cross = (first: number, second: number) =>
    database.write(async (trx) => {
      runs++;
      await sql`update organizations set rate_limit_per_minute = coalesce(rate_limit_per_minute, 0) + 1 where id = ${first}`.execute(trx);
      if (++holding === 2) bothHoldOne();
      await Promise.race([held, new Promise((r) => setTimeout(r, 2_000))]); // the retry does not wait again
      await sql`update organizations set rate_limit_per_minute = coalesce(rate_limit_per_minute, 0) + 1 where id = ${second}`.execute(trx);
    });
  await Promise.all([cross(a, b), cross(b, a)]);
  expect(runs).toBe(3); // two first attempts, one of them run again
  const rows = await database.db.selectFrom('organizations').select(['id', 'rate_limit_per_minute']).where('id', 'in', [a, b]).orderBy('id').execute();
  expect(rows.map((r) => r.rate_limit_per_minute)).toEqual([2, 2]); // each write's two changes, once
});
