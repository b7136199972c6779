// Frozen. When each API key was last used (issue 18: `handoff key list` shows it), so an operator
// can tell a key still in use from one safe to revoke. Written by authentication at most once a
// minute per key (http/auth.ts), null until the key's first request. Imports nothing of the app;
// portable DDL.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('api_keys').addColumn('last_used_at', 'bigint').execute();
}

export async function down(): Promise<void> {
  throw new Error('0015_api_key_last_used cannot be reverted; restore a backup instead');
}
