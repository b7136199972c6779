// PostgreSQL: compile-once statements (db/prepared.ts) run by name, parsed once per connection
// (db/statement-names.ts, issue 17), while a query built per call stays unnamed; and a schema
// change under a running server that alters a named statement's columns costs no failed
// request, on its own or inside a transaction (db/postgres.ts).
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/database.ts';
import { findChatView } from '../src/modules/chats/chats.repository.ts';
import { buildTestApp, TEST_DB, type TestApp } from './helpers/app.ts';
import { factories } from './helpers/factories.ts';

const pgOnly = it.skipIf(TEST_DB !== 'postgres');
let t: TestApp;
/** the test's schema through one connection: the prepared statements seen are that connection's */
let one: Database;
let org: { id: number };
let chat: { id: number };

beforeAll(async () => {
  if (TEST_DB !== 'postgres') return console.log('postgres-named-statements: PostgreSQL only (TEST_DATABASE_URL unset)');
  t = await buildTestApp();
  const f = factories(t.database, t.clock);
  const o = await f.org();
  org = o;
  chat = await f.chat(o.id, { applicationId: o.applicationId });
  one = openDatabase(process.env.TEST_DATABASE_URL!, { schema: t.database.schema, poolSize: 1 });
});
afterAll(async () => {
  await one?.close();
  await t?.close();
});

const preparedNames = async () =>
  (await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(one.db)).rows;

pgOnly('a compile-once read runs by name; a query built per call does not', async () => {
  expect((await findChatView(one.db, org.id, chat.id))?.id).toBe(chat.id);
  await one.db.selectFrom('chats').select('id').where('id', '=', chat.id).execute();
  const named = await preparedNames();
  expect(named.filter((s) => s.name.startsWith('handoff_') && /from "chats" as "c"/.test(s.statement))).toHaveLength(1);
  expect(named.some((s) => /select "id" from "chats" where/.test(s.statement))).toBe(false);
  // run again: still one prepared copy on the connection
  await findChatView(one.db, org.id, chat.id);
  expect((await preparedNames()).filter((s) => /from "chats" as "c"/.test(s.statement))).toHaveLength(1);
});

pgOnly('a column added under a running server: the named read and a write that reads it still succeed', async () => {
  await findChatView(one.db, org.id, chat.id); // prepared with the old columns
  await sql`alter table chats add column named_statements_test integer`.execute(t.database.db);
  try {
    const view = await findChatView(one.db, org.id, chat.id);
    expect(view).toMatchObject({ id: chat.id, named_statements_test: null });
    await sql`alter table chats add column named_statements_test2 integer`.execute(t.database.db);
    // inside a transaction the refused statement aborts it: write() runs the work again
    const inWrite = await one.write(async (trx) => findChatView(trx, org.id, chat.id));
    expect(inWrite).toMatchObject({ id: chat.id, named_statements_test2: null });
  } finally {
    await sql`alter table chats drop column named_statements_test, drop column named_statements_test2`.execute(t.database.db);
  }
});
