import { PostgresAdapter } from 'kysely';
import type { Executor } from './database.ts';

/** For the few places where SQL must differ between the two databases (row locks, NULL order). */
export const isPostgres = (db: Executor): boolean => db.getExecutor().adapter instanceof PostgresAdapter;
