// What PostgreSQL did for the bench during a measured run. Its work happens in its own
// backend processes, which the bench's per-process CPU columns do not see (they would show up
// as "cpu other", i.e. as noise): here the backends connected to the bench's scratch database
// are found in pg_stat_activity and their CPU read from /proc, like the servers'. Commits (that
// database only) and WAL flushes (the whole cluster: other sessions' tests add to them) show
// how many durable commits each request cost. What the backends are waiting for, sampled
// through the run, says whether PostgreSQL or its clients set the pace.
import { readFileSync } from 'node:fs';
import pg from 'pg';

export interface PgSample {
  /** user+system CPU seconds per backend pid */
  cpu: Map<number, number>;
  commits: number;
  /** WAL flushes to disk (pg_stat_wal.wal_sync), cluster-wide */
  walSyncs: number;
  at: number;
}

export interface PgDelta {
  /** cores busy in this database's backends */
  cpu: number | null;
  commitsPerSec: number;
  walSyncsPerSec: number;
}

/** mean number of the database's client backends in each state over a run */
export interface PgWaits {
  samples: number;
  /** in a transaction, waiting for the server instance to send the next statement */
  idleInTransaction: number;
  /** COMMIT waiting for its WAL flush (IO:WALSync, LWLock:WALWrite, …) */
  walFlush: number;
  /** waiting for a row or transaction lock held by another assignment */
  lock: number;
  /** running (or runnable: waiting for a core), no wait event */
  cpu: number;
  otherWait: number;
  /** no transaction open: the pool has a spare connection */
  idle: number;
}

export interface PgSettings {
  synchronous_commit: string;
  commit_delay: string;
  commit_siblings: string;
  wal_sync_method: string;
  max_connections: string;
}

function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in USER_HZ
  } catch {
    return null; // not Linux, PostgreSQL on another host, or the backend has ended
  }
}

/** A connection to the admin database (not the measured one, so its own backend is not counted). */
export async function pgObserver(adminUrl: string, database: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  return {
    async settings(): Promise<PgSettings> {
      const { rows } = await client.query(
        `select name, setting from pg_settings where name in ('synchronous_commit', 'commit_delay', 'commit_siblings', 'wal_sync_method', 'max_connections')`,
      );
      return Object.fromEntries(rows.map((r: { name: string; setting: string }) => [r.name, r.setting])) as unknown as PgSettings;
    },
    async sample(): Promise<PgSample> {
      const { rows } = await client.query(
        `select (select coalesce(array_agg(pid), '{}') from pg_stat_activity where datname = $1) as pids,
                (select xact_commit from pg_stat_database where datname = $1) as commits,
                (select wal_sync from pg_stat_wal) as wal_syncs`,
        [database],
      );
      const cpu = new Map<number, number>();
      for (const pid of rows[0].pids as number[]) {
        const s = cpuSeconds(pid);
        if (s !== null) cpu.set(pid, s);
      }
      return { cpu, commits: Number(rows[0].commits), walSyncs: Number(rows[0].wal_syncs), at: performance.now() };
    },
    /** samples pg_stat_activity every `everyMs` until the returned function is called */
    watch(everyMs = 100): () => Promise<PgWaits> {
      const sums: PgWaits = { samples: 0, idleInTransaction: 0, walFlush: 0, lock: 0, cpu: 0, otherWait: 0, idle: 0 };
      let stopped = false;
      const loop = (async () => {
        while (!stopped) {
          const { rows } = await client.query(
            `select state, wait_event_type as type, wait_event as event from pg_stat_activity where datname = $1 and backend_type = 'client backend'`,
            [database],
          );
          sums.samples++;
          for (const r of rows as Array<{ state: string | null; type: string | null; event: string | null }>) sums[classify(r)]++;
          await new Promise((resolve) => setTimeout(resolve, everyMs));
        }
      })();
      return async () => {
        stopped = true;
        await loop;
        const mean = (n: number) => (sums.samples === 0 ? 0 : n / sums.samples);
        return { ...sums, idleInTransaction: mean(sums.idleInTransaction), walFlush: mean(sums.walFlush), lock: mean(sums.lock), cpu: mean(sums.cpu), otherWait: mean(sums.otherWait), idle: mean(sums.idle) };
      };
    },
    close: () => client.end(),
  };
}

function classify({ state, type, event }: { state: string | null; type: string | null; event: string | null }): Exclude<keyof PgWaits, 'samples'> {
  if (state === 'idle') return 'idle';
  if (state?.startsWith('idle in transaction')) return 'idleInTransaction';
  if (type === 'Lock') return 'lock';
  if (event !== null && /^WAL(Sync|Write)$/.test(event)) return 'walFlush';
  return type === null ? 'cpu' : 'otherWait';
}

export type PgObserver = Awaited<ReturnType<typeof pgObserver>>;

/**
 * Rates between two samples. A backend that started in between counts from zero; one that
 * ended is missed (the pools keep their connections for the whole run, so there are none).
 * The statistics counters lag up to a second; over a 10 s run both ends lag alike.
 */
export function pgDelta(before: PgSample, after: PgSample): PgDelta {
  const seconds = (after.at - before.at) / 1000;
  let cpu = 0;
  for (const [pid, s] of after.cpu) cpu += s - (before.cpu.get(pid) ?? 0);
  return {
    cpu: after.cpu.size === 0 ? null : cpu / seconds,
    commitsPerSec: (after.commits - before.commits) / seconds,
    walSyncsPerSec: (after.walSyncs - before.walSyncs) / seconds,
  };
}

/** rows updated in a table, and how many of those updates were HOT (no index entry written) */
export interface TableUpdates {
  updated: number;
  hot: number;
}

/**
 * Cumulative updates per table of the measured database (pg_stat_user_tables), read over a
 * connection of its own that is closed again: a backend of the bench database alive during a
 * run would be counted in its CPU. Counters lag up to a second (flushed at commit, at most once
 * a second): a share over a whole run is exact enough.
 */
export async function tableUpdates(url: string): Promise<Map<string, TableUpdates>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(`select relname, n_tup_upd, n_tup_hot_upd from pg_stat_user_tables`);
    return new Map(rows.map((r: { relname: string; n_tup_upd: string; n_tup_hot_upd: string }) => [r.relname, { updated: Number(r.n_tup_upd), hot: Number(r.n_tup_hot_upd) }]));
  } finally {
    await client.end();
  }
}

/** the tables updated between two readings, most updated first */
export function updatesBetween(before: Map<string, TableUpdates>, after: Map<string, TableUpdates>): Array<{ table: string } & TableUpdates> {
  return [...after]
    .map(([table, a]) => ({ table, updated: a.updated - (before.get(table)?.updated ?? 0), hot: a.hot - (before.get(table)?.hot ?? 0) }))
    .filter((t) => t.updated > 0)
    .sort((x, y) => y.updated - x.updated);
}
