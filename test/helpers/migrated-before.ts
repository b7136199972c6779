// A fresh database migrated only up to (and including) one migration, so a test can write rows
// before a later migration runs and check what that migration makes of them (its backfill).
import { Migrator } from 'kysely';
import pg from 'pg';
import { openDatabase } from '../../src/db/database.ts';
import * as m0001 from '../../src/db/migrations/0001_initial.ts';
import * as m0002 from '../../src/db/migrations/0002_chat_search_indexes.ts';
import * as m0003 from '../../src/db/migrations/0003_customers_and_events.ts';
import * as m0004 from '../../src/db/migrations/0004_webhooks.ts';
import * as m0005 from '../../src/db/migrations/0005_chats_by_customer.ts';
import * as m0006 from '../../src/db/migrations/0006_webhook_interest.ts';
import * as m0007 from '../../src/db/migrations/0007_chat_day_counts.ts';
import { TEST_DB, type TestDatabase } from './app.ts';

const EARLIER = {
  '0001_initial': m0001, '0002_chat_search_indexes': m0002, '0003_customers_and_events': m0003,
  '0004_webhooks': m0004, '0005_chats_by_customer': m0005, '0006_webhook_interest': m0006,
  '0007_chat_day_counts': m0007,
};

export async function databaseMigratedTo(last: keyof typeof EARLIER): Promise<TestDatabase> {
  const names = Object.keys(EARLIER) as Array<keyof typeof EARLIER>;
  const upTo = Object.fromEntries(names.slice(0, names.indexOf(last) + 1).map((n) => [n, EARLIER[n]]));
  let url = 'sqlite::memory:';
  let schema: string | undefined;
  let drop = async () => {};
  if (TEST_DB === 'postgres') {
    url = process.env.TEST_DATABASE_URL!;
    schema = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    await admin(url, `create schema ${schema}`);
    drop = () => admin(url, `drop schema ${schema} cascade`);
  }
  const database = openDatabase(url, schema ? { schema, poolSize: 4 } : {});
  const migrator = new Migrator({
    db: database.db,
    ...(schema ? { migrationTableSchema: schema } : {}),
    provider: { getMigrations: async () => upTo },
    migrationTableName: 'handoff_migrations',
    migrationLockTableName: 'handoff_migrations_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
  return { url, database, drop };
}

async function admin(url: string, text: string) {
  const c = new pg.Client(url);
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}
