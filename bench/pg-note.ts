// The PostgreSQL suite's closing note, built from this run's numbers (issue 5: "report it
// honestly; the closing note says what should scale and what limits it"), and the check that
// the two instances lost no update while they were measured.
import pg from 'pg';
import type { PgWaits } from './pg-stats.ts';
import type { SplitRun } from './split-load.ts';
import type { Row } from './table.ts';

export interface Consistency {
  historyRows: number;
  /** history rows whose `from` is not the previous row's `to`: a lost update */
  brokenChains: number;
  /** chats whose assignee is not their newest history row's `to` */
  mismatchedChats: number;
}

export async function consistency(url: string): Promise<Consistency> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(`
      select (select count(*) from assignments) as history_rows,
             (select count(*) from (select from_agent_id, lag(to_agent_id) over (partition by chat_id order by id) as prev from assignments) h
               where h.from_agent_id is distinct from h.prev) as broken_chains,
             (select count(*) from chats c
                left join (select distinct on (chat_id) chat_id, to_agent_id from assignments order by chat_id, id desc) n on n.chat_id = c.id
               where c.assignee_id is distinct from n.to_agent_id) as mismatched_chats`);
    return { historyRows: Number(rows[0].history_rows), brokenChains: Number(rows[0].broken_chains), mismatchedChats: Number(rows[0].mismatched_chats) };
  } finally {
    await client.end();
  }
}

export interface NoteInput {
  rows: Row[];
  pg1: SplitRun;
  pg2: SplitRun;
  full: SplitRun;
  normal: SplitRun;
  pgSettings: Record<string, string>;
  poolSize: number;
  cpus: number;
  check: Consistency;
}

const n0 = (n: number) => Math.round(n).toLocaleString('en-US');
const n2 = (n: number | null | undefined) => (n == null ? '?' : n.toFixed(2));

/** µs of CPU per request: servers, PostgreSQL backends */
function cost(run: SplitRun) {
  const rate = run.total.reqPerSec;
  const srv = run.total.serverCpu === null || rate === 0 ? null : (run.total.serverCpu / rate) * 1e6;
  const db = run.pg?.cpu == null || rate === 0 ? null : (run.pg.cpu / rate) * 1e6;
  return { srv, db, all: srv === null || db === null ? null : srv + db };
}

/** one line: what the backends were doing, on average, during a run */
export function describeWaits(w: PgWaits | null): string {
  if (!w || w.samples === 0) return 'not sampled';
  return `${n2(w.idleInTransaction)} idle in transaction (waiting for the instance's next statement), ${n2(w.cpu)} running or runnable, ` +
    `${n2(w.walFlush)} in COMMIT's WAL flush, ${n2(w.lock)} waiting for a lock, ${n2(w.otherWait)} other waits, ${n2(w.idle)} idle (${w.samples} samples)`;
}

/** which of the backends' states dominated, in words */
function paceSetter(w: PgWaits | null): { key: string; text: string } {
  if (!w || w.samples === 0) return { key: 'none', text: 'the backends were not sampled' };
  const states: Array<[number, string, string]> = [
    [w.idleInTransaction, 'idle', 'the backends mostly sat idle in transaction, waiting for the next statement from Node: the instances (their share of the cores and one round trip per statement) set the pace, not PostgreSQL'],
    [w.cpu, 'cpu', 'the backends were mostly running or waiting for a core: PostgreSQL\'s own CPU (parse and plan of every statement, the commit) sets the pace'],
    [w.walFlush, 'wal', 'the backends mostly waited for COMMIT\'s WAL flush: fsync sets the pace'],
    [w.lock, 'lock', 'the backends mostly waited for locks: assignments of the same chats collide'],
  ];
  const [, key, text] = states.sort((a, b) => b[0] - a[0])[0];
  return { key, text };
}

export function postgresNote({ rows, pg1, pg2, full, normal, pgSettings, poolSize, cpus, check }: NoteInput): string[] {
  const t = pg2.total;
  const cores = t.clientCpu + (t.serverCpu ?? 0) + (pg2.pg?.cpu ?? 0) + (t.otherCpu ?? 0);
  const c1 = cost(pg1);
  const c2 = cost(pg2);
  const scale = pg1.total.reqPerSec > 0 ? t.reqPerSec / pg1.total.reqPerSec : 0;
  const ceiling = c2.all ? (cpus * 1e6) / (c2.all + (t.clientCpu / Math.max(t.reqPerSec, 1)) * 1e6) : null;
  const perReq = (run: SplitRun, perSec: number | undefined) => (perSec === undefined || run.total.reqPerSec === 0 ? null : perSec / run.total.reqPerSec);
  const flushes = perReq(pg1, pg1.pg?.walSyncsPerSec);
  const pace1 = paceSetter(pg1.waits);
  const pace2 = paceSetter(pg2.waits);
  const ok = check.brokenChains === 0 && check.mismatchedChats === 0;
  // "cpu other" is machine CPU outside the bench, the servers and the bench database's backends:
  // other sessions' work, Redis, PostgreSQL's WAL writer, the kernel's loopback and disk work.
  const busy = rows.filter((r) => !r.name.startsWith(' ') && (r.otherCpu ?? 0) > 0.25);
  const noisy = busy.length === 0 ? [] : [
    `- Noise: "cpu other" exceeded 0.25 cores during ${busy.map((r) => r.name.trim()).join(', ')} (other sessions, Redis, PostgreSQL's WAL writer, ` +
      'the kernel): rates and ratios move with it from run to run; "srv µs/req" and "pg µs/req" move less.',
  ];
  return [
    `NOTE — read with the machine in mind (${cpus} CPUs):`,
    `- One box: PostgreSQL's backends, the server instance(s) and autocannon share the same ${cpus} cores. During the two-instance run they kept ` +
      `${n2(cores)} of ${cpus} busy (autocannon ${n2(t.clientCpu)}, servers ${n2(t.serverCpu)}, PostgreSQL ${n2(pg2.pg?.cpu)}, other processes ${n2(t.otherCpu)})` +
      `${cores >= 0.85 * cpus ? ': the machine is saturated, so a second instance can only take CPU from the first and from PostgreSQL' : ''}. ` +
      `Two instances did ${n2(scale)}× one instance's rate: this is contention for these cores, not what scale-out does on separate machines.`,
    `- Cost per assignment: servers ${c1.srv === null ? '?' : n0(c1.srv)} µs + PostgreSQL ${c1.db === null ? '?' : n0(c1.db)} µs of CPU (one instance), ` +
      `${c2.srv === null ? '?' : n0(c2.srv)} + ${c2.db === null ? '?' : n0(c2.db)} µs (two)` +
      `${ceiling ? `; with autocannon's share that caps this machine near ${n0(ceiling)} req/s however many instances run` : ''}. ` +
      `SQLite did ${n0(full.total.reqPerSec)} (sync=full) and ${n0(normal.total.reqPerSec)} (sync=normal) req/s in one process with no network hop per query.`,
    `- What should scale: instances are stateless (nothing in memory another needs; rate limits and live events go through Redis), so with ` +
      `instances on their own machines req/s should grow with their number until PostgreSQL saturates; an assignment locks only its own chat's row ` +
      `(its one write statement; the agents' rows for their open-chat counts), so assignments of different chats rarely wait on each other; each instance opens up to DATABASE_POOL_SIZE ` +
      `(${poolSize}) connections, so ${poolSize} vs ${poolSize * 2} transactions could be in flight in the two runs (bounded by max_connections=${pgSettings.max_connections}).`,
    `- What limits it here: ${pace1.key === pace2.key ? `in both runs ${pace1.text}` : `one instance: ${pace1.text}; two instances: ${pace2.text}`}. ` +
      `Every assignment is two statements, each a round trip and its own transaction (a read, then one write statement guarded by the version of the chat read; ` +
      `one that lost a race to another write of the chat runs again in a transaction that locks it), and the write's commit waits for a WAL flush (fsync, ${pgSettings.wal_sync_method}): ` +
      `${n2(flushes)} flushes per request with one instance (cluster-wide: other sessions add to them${flushes !== null && flushes < 1 ? '; under 1 because commits that wait at the same moment share one' : ''}). ` +
      `commit_delay=${pgSettings.commit_delay} (commit_siblings=${pgSettings.commit_siblings}) means PostgreSQL never waits to gather more commits into a flush; ` +
      `raising it (group commit), or synchronous_commit=off (now ${pgSettings.synchronous_commit}: commits stop waiting for the flush; a crash may lose the last ` +
      `moments of commits but corrupts nothing) are the server's levers — this bench leaves the server's configuration as it is. ` +
      `SQLite's write() already shares one transaction and one fsync among concurrent assignments.`,
    `- Latency: the two-instance p50/p99 are the larger of the two instances' (the merged percentile lies between them); each instance's own row follows it.`,
    `- Consistency after the runs: ${n0(check.historyRows)} history rows, ${check.brokenChains} broken chains, ${check.mismatchedChats} chats whose assignee ` +
      `differs from their newest history row${ok ? ' — no lost update.' : ' — LOST UPDATES: see issue 5 item 3.'}`,
    ...noisy,
  ];
}
