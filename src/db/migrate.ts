// Applies the frozen migrations in order. The list is explicit (no directory scan) so that
// it works the same from sources, tests and the CLI.
import { Migrator, type Migration, type MigrationResult } from 'kysely';
import type { Database, Db } from './handle.ts';
import * as m0001 from './migrations/0001_initial.ts';
import * as m0002 from './migrations/0002_chat_search_indexes.ts';
import * as m0003 from './migrations/0003_customers_and_events.ts';
import * as m0004 from './migrations/0004_webhooks.ts';
import * as m0005 from './migrations/0005_chats_by_customer.ts';
import * as m0006 from './migrations/0006_webhook_interest.ts';
import * as m0007 from './migrations/0007_chat_day_counts.ts';
import * as m0008 from './migrations/0008_customer_search.ts';
import * as m0009 from './migrations/0009_triggers_for_older_sqlite.ts';
import * as m0010 from './migrations/0010_customer_search_version.ts';
import * as m0011 from './migrations/0011_routing.ts';
import * as m0012 from './migrations/0012_agent_open_chats.ts';
import * as m0013 from './migrations/0013_inbox.ts';
import * as m0014 from './migrations/0014_assignee_indexes.ts';
import * as m0015 from './migrations/0015_api_key_last_used.ts';

const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_chat_search_indexes': m0002,
  '0003_customers_and_events': m0003,
  '0004_webhooks': m0004,
  '0005_chats_by_customer': m0005,
  '0006_webhook_interest': m0006,
  '0007_chat_day_counts': m0007,
  '0008_customer_search': m0008,
  '0009_triggers_for_older_sqlite': m0009,
  '0010_customer_search_version': m0010,
  '0011_routing': m0011,
  '0012_agent_open_chats': m0012,
  '0013_inbox': m0013,
  '0014_assignee_indexes': m0014,
  '0015_api_key_last_used': m0015,
};

/**
 * `schema` (PostgreSQL) names where the migration tables live: Kysely looks for them across
 * all schemas, and another schema's copy must not be mistaken for ours.
 */
/** every migration, in the order they apply */
export const MIGRATION_NAMES = Object.keys(MIGRATIONS);

export async function migrate(db: Db, schema?: string): Promise<MigrationResult[]> {
  const migrator = new Migrator({
    db,
    ...(schema ? { migrationTableSchema: schema } : {}),
    provider: { getMigrations: async () => MIGRATIONS },
    migrationTableName: 'handoff_migrations',
    migrationLockTableName: 'handoff_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return results ?? [];
}

/** Migrations under the database-wide lock, so instances started together do not race. */
export function migrateDatabase(database: Database): Promise<MigrationResult[]> {
  return database.exclusive((writer) => migrate(writer, database.schema));
}
