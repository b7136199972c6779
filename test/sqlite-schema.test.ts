// The SQLite file Handoff writes can be opened by the sqlite3 shell operators have (the
// README's backup and maintenance commands use it): Debian's is 3.40, which refused the whole
// schema while a trigger used `insert into t as alias` (migration 0009 rewrote them).
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fixedClock } from '../src/lib/clock.ts';
import { freshDatabase, T0, TEST_DB, type TestDatabase } from './helpers/app.ts';
import { factories } from './helpers/factories.ts';

const sqliteShell = (() => {
  try {
    return execFileSync('sqlite3', ['--version'], { encoding: 'utf8' }).split(' ')[0];
  } catch {
    return null;
  }
})();

let d: TestDatabase;
beforeAll(async () => {
  if (TEST_DB === 'sqlite') d = await freshDatabase();
});
afterAll(async () => {
  await d?.database.close();
  await d?.drop();
});

it.skipIf(TEST_DB !== 'sqlite')('no trigger inserts through a table alias', async () => {
  const triggers = await d.database.db
    .selectFrom('sqlite_master' as never)
    .select(['name' as never, 'sql' as never])
    .where('type' as never, '=', 'trigger' as never)
    .execute() as Array<{ name: string; sql: string }>;
  expect(triggers.length).toBeGreaterThan(0);
  for (const t of triggers) expect([t.name, /insert\s+into\s+\w+\s+as\s+\w+/i.test(t.sql)]).toEqual([t.name, false]);
});

it.skipIf(TEST_DB !== 'sqlite' || sqliteShell === null)(`the sqlite3 shell on this machine (${sqliteShell ?? 'none'}) reads and writes the file`, async () => {
  const f = factories(d.database, fixedClock(T0));
  const org = await f.org();
  await f.chat(org.id, { applicationId: org.applicationId });
  const shell = (statement: string) => execFileSync('sqlite3', [d.url.replace(/^sqlite:/, ''), statement], { encoding: 'utf8' }).trim();
  expect(shell('select count(*) from chats')).toBe('1');
  // a write through the shell runs the count triggers too
  shell(`insert into chats (organization_id, customer_id, application_id, status, created_with, created_at, updated_at, read_by_agent, read_by_customer) select organization_id, customer_id, application_id, 'new', created_with, created_at, updated_at, 0, 0 from chats`);
  expect(shell('select sum(chats) from chat_day_counts')).toBe('2');
  expect(shell('select sum(chats) from customer_chat_counts')).toBe('2');
});
