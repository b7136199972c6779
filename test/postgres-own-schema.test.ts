// PostgreSQL: migrations look at Handoff's own schema only (db/own-schema-dialect.ts). Kysely's
// stock introspector read every schema on the server, so a schema dropped by someone else
// while Handoff migrated failed the migration with `schema "…" does not exist` (seen in the
// suite when test files dropped their schemas while another file migrated).
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrateDatabase } from '../src/db/migrate.ts';
import { openDatabase } from '../src/db/database.ts';
import { adminQuery, freshDatabase, TEST_DB, type TestDatabase } from './helpers/app.ts';

const url = process.env.TEST_DATABASE_URL;
const STRANGER = `stranger_${process.pid}`;
let fresh: TestDatabase;

beforeAll(async () => {
  if (TEST_DB !== 'postgres') return;
  fresh = await freshDatabase();
  await adminQuery(url!, `create schema ${STRANGER}`);
  await adminQuery(url!, `create table ${STRANGER}.things (id serial primary key, note text)`);
});
afterAll(async () => {
  if (!fresh) return;
  await adminQuery(url!, `drop schema if exists ${STRANGER} cascade`);
  await fresh.database.close();
  await fresh.drop();
});

it.skipIf(TEST_DB !== 'postgres')("the introspector sees Handoff's own tables and nobody else's", async () => {
  const tables = await fresh.database.db.introspection.getTables({ withInternalKyselyTables: true });
  const names = tables.map((t) => t.name);
  expect(names).toContain('chats');
  expect(names).toContain('handoff_migrations');
  expect(names).not.toContain('things');
  expect(new Set(tables.map((t) => t.schema))).toEqual(new Set([fresh.database.schema]));
});

it.skipIf(TEST_DB !== 'postgres')('migrating while other schemas come and go never fails', async () => {
  // Many schemas with serial columns, dropped while new databases migrate beside them.
  const others = Array.from({ length: 12 }, (_, i) => `${STRANGER}_${i}`);
  for (const s of others) await adminQuery(url!, `create schema ${s}; create table ${s}.t (id serial primary key, a serial, b serial)`);
  const migrations = Array.from({ length: 4 }, async (_, i) => {
    const schema = `${STRANGER}_m${i}`;
    await adminQuery(url!, `create schema ${schema}`);
    const database = openDatabase(url!, { schema, poolSize: 2 });
    try {
      await migrateDatabase(database);
      return (await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_schema = ${schema}`.execute(database.db)).rows[0].n;
    } finally {
      await database.close();
      await adminQuery(url!, `drop schema ${schema} cascade`);
    }
  });
  const drops = others.map((s) => adminQuery(url!, `drop schema ${s} cascade`));
  const [counts] = await Promise.all([Promise.all(migrations), Promise.all(drops)]);
  for (const n of counts) expect(n).toBeGreaterThan(20);
});

