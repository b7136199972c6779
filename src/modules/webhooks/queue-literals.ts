import { sql } from 'kysely';
import type { DeliveryStatus, Flag } from '../../db/schema.ts';

// The predicates of the partial indexes (migration 0004) are written as literals: SQLite uses
// a partial index only when the query's terms match its WHERE literally, and `status = ?`
// (a bound parameter) does not — every claim would scan the whole queue.
export const PENDING = sql.lit<DeliveryStatus>('pending');
export const ZERO = sql.lit<Flag>(0);
export const ONE = sql.lit<Flag>(1);
