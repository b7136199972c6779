// Applies the frozen migrations in order. The list is explicit (no directory scan) so that
// it works the same from sources, tests and the CLI.
import { Migrator, type Migration, type MigrationResult } from 'kysely';
import type { Db } from './database.ts';
import * as m0001 from './migrations/0001_initial.ts';
import * as m0002 from './migrations/0002_chat_search_indexes.ts';

const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_chat_search_indexes': m0002,
};

export async function migrate(db: Db): Promise<MigrationResult[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    migrationTableName: 'handoff_migrations',
    migrationLockTableName: 'handoff_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return results ?? [];
}
