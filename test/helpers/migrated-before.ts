// A fresh database migrated only up to (and including) one migration, so a test can write rows
// before a later migration runs and check what that migration makes of them (its backfill).
import { Migrator } from 'kysely';
import * as m0001 from '../../src/db/migrations/0001_initial.ts';
import * as m0002 from '../../src/db/migrations/0002_chat_search_indexes.ts';
import * as m0003 from '../../src/db/migrations/0003_customers_and_events.ts';
import * as m0004 from '../../src/db/migrations/0004_webhooks.ts';
import * as m0005 from '../../src/db/migrations/0005_chats_by_customer.ts';
import * as m0006 from '../../src/db/migrations/0006_webhook_interest.ts';
import * as m0007 from '../../src/db/migrations/0007_chat_day_counts.ts';
import { freshDatabase, type TestDatabase } from './app.ts';

const EARLIER = {
  '0001_initial': m0001, '0002_chat_search_indexes': m0002, '0003_customers_and_events': m0003,
  '0004_webhooks': m0004, '0005_chats_by_customer': m0005, '0006_webhook_interest': m0006,
  '0007_chat_day_counts': m0007,
};

export async function databaseMigratedTo(last: keyof typeof EARLIER): Promise<TestDatabase> {
  const names = Object.keys(EARLIER) as Array<keyof typeof EARLIER>;
  const upTo = Object.fromEntries(names.slice(0, names.indexOf(last) + 1).map((n) => [n, EARLIER[n]]));
  return freshDatabase({
    migrate: (database, schema) =>
      database.exclusive(async (writer) => {
        const migrator = new Migrator({
          db: writer,
          ...(schema ? { migrationTableSchema: schema } : {}),
          provider: { getMigrations: async () => upTo },
          migrationTableName: 'handoff_migrations',
          migrationLockTableName: 'handoff_migrations_lock',
        });
        const { error } = await migrator.migrateToLatest();
        if (error) throw error;
      }),
  });
}
