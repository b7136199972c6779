// A cheap fingerprint of everything the organizations own, read in one statement, to tell
// whether a refused request changed anything (issue 15: "no state change on a refused
// request"). Counts and maxima catch inserts and deletes; sums catch changes to the columns a
// request can set. Timestamps catch everything else a write touches, as long as the test clock
// moves between requests (`moveClock`): with a fixed clock every `updated_at` is the same.
// The whole database is read, not one organization: a request must not change another's rows.
import { sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../../src/db/database.ts';
import { TEST_DB } from './app.ts';

const PARTS: Record<string, string> = {
  organizations: 'count(*) || sum(agents_may_reassign) || sum(webhook_generation) || coalesce(sum(rate_limit_per_minute), 0)',
  api_keys: 'count(*) || count(revoked_at)',
  agents: 'count(*) || sum(active) || sum(length(status)) || coalesce(sum(capacity), 0) || sum(email_unsubscribed) || sum(open_chats) || count(password_hash)',
  departments: 'count(*) || max(id)',
  department_agents: 'count(*)',
  applications: 'count(*)',
  customers: 'count(*) || max(id) || max(updated_at) || sum(updated_at) || sum(unsubscribed + blocked * 2)',
  customer_tags: 'count(*) || coalesce(sum(length(name) + length(color)), 0)',
  customer_events: 'count(*) || coalesce(max(id), 0)',
  chats: `count(*) || max(id) || max(updated_at) || sum(updated_at) || coalesce(sum(assignee_id), 0) || coalesce(sum(department_id), 0)
    || sum(read_by_agent + read_by_customer * 2) || sum(length(status)) || count(rating) || count(snoozed_until) || count(queued_at) || count(closed_at)`,
  chat_agents: 'count(*)',
  messages: 'count(*) || coalesce(max(id), 0)',
  assignments: 'count(*) || coalesce(max(id), 0)',
  outbox: 'count(*) || coalesce(max(id), 0)',
  webhooks: 'count(*) || max(id) || sum(active)',
  webhook_deliveries: 'count(*)',
  routing_policies: 'count(*) || coalesce(max(updated_at), 0) || coalesce(sum(updated_at), 0)',
  routing_jobs: 'count(*) || coalesce(max(id), 0)',
  agent_sessions: 'count(*) || max(id) || count(revoked_at)',
  sign_in_failures: 'count(*) || coalesce(sum(failures), 0)',
  inbox_pages: 'count(*)',
};
export type Fingerprint = Record<keyof typeof PARTS, string>;

// `a || b` joins numbers as text on both databases; the '|' separators keep `1||23` and `12||3` apart
const statement = `select ${Object.entries(PARTS)
  .map(([table, expr]) => `(select ${expr.replaceAll(' || ', " || '|' || ")} from ${table}) as ${table}`)
  .join(', ')}`;

export async function fingerprint(database: Database): Promise<Fingerprint> {
  const { rows } = await sql.raw<Fingerprint>(statement).execute(database.db);
  return rows[0];
}

/**
 * The same read, for a suite that takes it thousands of times (the fuzz): on PostgreSQL over a
 * connection of its own as a named, prepared statement — planning 21 subqueries cost ~1 ms of
 * the ~1.7 ms a read took through the pool, more than most refused requests themselves.
 */
export async function fingerprinter(database: Database): Promise<{ read(): Promise<Fingerprint>; close(): Promise<void> }> {
  if (TEST_DB !== 'postgres') return { read: () => fingerprint(database), close: async () => {} };
  const { rows } = await sql.raw<{ schema: string }>('select current_schema() as schema').execute(database.db);
  const connection = new pg.Client(process.env.TEST_DATABASE_URL);
  await connection.connect();
  await connection.query(`set search_path to ${rows[0].schema}`);
  return {
    read: async () => (await connection.query<Fingerprint>({ name: 'fingerprint', text: statement })).rows[0],
    close: () => connection.end(),
  };
}
