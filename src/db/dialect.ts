import { PostgresAdapter, sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Executor } from './handle.ts';

/** For the few places where SQL must differ between the two databases (row locks, NULL order). */
export const isPostgres = (db: Executor): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * `column IN (the ids)` with the ids as one JSON-array parameter, so a query over a page of
 * ids has one shape whatever the page's size and can be compiled once (db/prepared.ts).
 */
export function inIdList(db: Executor, column: string, idsJson: string): RawBuilder<SqlBool> {
  return isPostgres(db)
    ? sql<SqlBool>`${sql.ref(column)} in (select jsonb_array_elements_text(cast(${idsJson} as jsonb))::bigint)`
    : sql<SqlBool>`${sql.ref(column)} in (select value from json_each(${idsJson}))`;
}
