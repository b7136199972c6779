// `npm run bench -- --db postgres` (issue 5): PUT /v1/chats/assignee, random chats × random
// agents under the assignment suite's load, on PostgreSQL with one instance and with two
// (two server processes on one database and one Redis, the load split evenly over them),
// against SQLite (sync=full and normal) and a bare node:http baseline measured in the same
// run (DESIGN rule 12). PostgreSQL runs in a scratch database of this run, dropped afterwards.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { buildDataset, type Dataset, type DatasetSize } from '../dataset.ts';
import type { LoadSettings } from '../load.ts';
import { consistency, describeWaits, postgresNote } from '../pg-note.ts';
import { buildPgDataset, createScratchDatabase } from '../pg-dataset.ts';
import { pgFloorRun, type PgFloor } from '../pg-floor-run.ts';
import { pgObserver, tableUpdates, updatesBetween, type PgObserver } from '../pg-stats.ts';
import { withServer } from '../server-process.ts';
import { splitLoad, type SplitRun } from '../split-load.ts';
import { formatTable, formatTargets, round2, rowJson, withRatios, type Row, type Target } from '../table.ts';
import { checkRoutes, scenarios, serverEnv } from './assignment.ts';
import type { SuiteOptions } from './options.ts';

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** the server's default DATABASE_POOL_SIZE (src/config.ts); passed explicitly so an inherited variable cannot change it unseen */
const POOL_SIZE = 10;

const log = (line: string) => console.log(`  ${line}`);

/**
 * Where issue 17's work on PostgreSQL started: this suite's "PostgreSQL 1 instance" row before
 * it (10 s runs, quiet machine; servers 1,522 µs + PostgreSQL 2,664 µs of CPU per assignment,
 * 9 statements each a round trip). Kept as recorded: the ×start target is a ratio to it.
 */
const START_OF_WORK = { reqPerSec: 388, measured: '2026-12-04', srvUsPerReq: 1_522, pgUsPerReq: 2_664 } as const;
/** issue 17's targets for one instance: × the start, × SQLite sync=full in the same run */
const TIMES_START = 4;
const TIMES_SQLITE_FULL = 0.35;

export async function postgresSuite(opts: SuiteOptions) {
  const { quick, duration, tmp, profileDir } = opts;
  const size = { agents: 50, customers: quick ? 2_000 : 10_000, chats: quick ? 20_000 : 100_000 };
  const settings: LoadSettings = { connections: 50, pipelining: 1, duration, warmup: 2 };
  console.log('\n=== PostgreSQL suite (issue 5): PUT /v1/chats/assignee, one and two instances, against SQLite ===');
  console.log(`load: ${settings.connections} connections in all (two instances: ${settings.connections / 2} each, at once), pipelining ${settings.pipelining}, ` +
    `${settings.warmup} s warm-up + ${settings.duration} s per run${quick ? ' (quick)' : ''}`);
  // PostgreSQL first: an unreachable server fails the suite before anything is generated.
  const scratch = await createScratchDatabase(ADMIN_URL);
  const redisPrefix = `handoff-bench-${process.pid}-${Date.now().toString(36)}:`;
  let observer: PgObserver | undefined;
  try {
    console.log(`SQLite: generating ${size.chats.toLocaleString('en-US')} chats, ${size.agents} agents in ${tmp}`);
    const sqlite = await buildDataset(join(tmp, 'bench.sqlite'), size, log);
    console.log(`  generated in ${(sqlite.generationMs / 1000).toFixed(1)} s`);
    console.log(`PostgreSQL: generating the same rows into scratch database ${scratch.name}`);
    const pgData = await buildPgDataset(scratch.url, size, log);
    console.log(`  generated in ${(pgData.generationMs / 1000).toFixed(1)} s`);
    observer = await pgObserver(ADMIN_URL, scratch.name);
    const pgSettings = await observer.settings();
    console.log(`PostgreSQL settings (unchanged): ${Object.entries(pgSettings).map(([k, v]) => `${k}=${v}`).join(', ')}; ` +
      `DATABASE_POOL_SIZE ${POOL_SIZE} per instance; Redis ${REDIS_URL} prefix ${redisPrefix}`);
    const runs = await measureAll(opts, settings, sqlite, pgData, { DATABASE_URL: scratch.url, DATABASE_POOL_SIZE: String(POOL_SIZE), REDIS_URL, REDIS_PREFIX: redisPrefix }, observer);
    const check = await consistency(scratch.url);
    report(opts, settings, size, sqlite, pgData, runs, pgSettings, check);
    if (profileDir) runs.load.printProfiles(profileDir);
  } finally {
    await observer?.close();
    await scratch.drop();
    await clearRedis(redisPrefix);
  }
}

interface Runs {
  load: ReturnType<typeof splitLoad>;
  baseline: SplitRun;
  full: SplitRun;
  normal: SplitRun;
  pg1: SplitRun;
  pg2: SplitRun;
  /** one instance without Redis (rate limit and live events in process): what Redis costs a request */
  pg1Alone: SplitRun;
  chatBody: string;
  /** updates per table during the one-instance run, and how many were HOT */
  hot: ReturnType<typeof updatesBetween>;
  /** the assignment's data path alone (bench/pg-floor.ts) */
  floor: PgFloor;
}

async function measureAll(
  { root, profileDir }: SuiteOptions, settings: LoadSettings, sqlite: Dataset, pgData: Dataset, pgEnv: Record<string, string>, observer: PgObserver,
): Promise<Runs> {
  const load = splitLoad(settings);
  const main = join(root, 'src', 'main.ts');
  const server = (name: string, env: Record<string, string>) => ({ name, script: main, env, readyPath: '/health/ready', profileDir });
  const put = (data: Dataset, name: string, url: string, pid: number) => scenarios(data, url, pid).put(name);
  const r: Partial<Runs> = { load };

  await withServer(server('sqlite-full', serverEnv(sqlite, 'full')), async (url, pid) => {
    r.chatBody = await checkRoutes(sqlite, url);
    // The baseline runs while this server idles, as in the assignment suite; it answers a real chat's body.
    const base = { name: 'baseline', script: join(root, 'bench', 'baseline-server.ts'), env: { BENCH_BODY: r.chatBody }, readyPath: '/', profileDir };
    r.baseline = await withServer(base, (bUrl, bPid) => load.run('baseline node:http', [{
      server: 'baseline',
      scenario: { name: 'baseline node:http', url: bUrl, pid: bPid, method: 'GET', next: () => ({ path: `/v1/chats/${sqlite.firstChatId + Math.floor(Math.random() * 1000)}` }) },
    }]));
    r.full = await load.run('SQLite sync=full', [{ server: 'sqlite-full', scenario: put(sqlite, 'SQLite sync=full', url, pid) }]);
  });
  await withServer(server('sqlite-normal', serverEnv(sqlite, 'normal')), async (url, pid) => {
    await checkRoutes(sqlite, url);
    r.normal = await load.run('SQLite sync=normal', [{ server: 'sqlite-normal', scenario: put(sqlite, 'SQLite sync=normal', url, pid) }]);
  });
  // PostgreSQL as deployed (README, Deployment): Redis for shared rate limits and events, in both runs.
  const env = { ...pgEnv, HANDOFF_DEMO: '0', LOG_LEVEL: 'warn' };
  await withServer(server('pg-1', env), async (url, pid) => {
    await checkRoutes(pgData, url);
    const before = await tableUpdates(pgEnv.DATABASE_URL);
    r.pg1 = await load.run('PostgreSQL 1 instance', [{ server: 'pg-1', scenario: put(pgData, 'PostgreSQL 1 instance', url, pid) }], observer);
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // idle backends flush their counters within a second
    r.hot = updatesBetween(before, await tableUpdates(pgEnv.DATABASE_URL));
  });
  // Not as deployed: the same instance without Redis, so the table shows what Redis's two round
  // trips per request (the shared rate limit, the event published to other instances) cost.
  const alone = Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('REDIS_')));
  await withServer(server('pg-1-alone', alone), async (url, pid) => {
    await checkRoutes(pgData, url);
    r.pg1Alone = await load.run('PostgreSQL 1, no Redis', [{ server: 'pg-1-alone', scenario: put(pgData, 'PostgreSQL 1, no Redis', url, pid) }], observer);
  });
  await withServer(server('pg-2a', env), (urlA, pidA) =>
    withServer(server('pg-2b', env), async (urlB, pidB) => {
      await checkRoutes(pgData, urlA);
      await checkRoutes(pgData, urlB);
      r.pg2 = await load.run('PostgreSQL 2 instances', [
        { server: 'pg-2a', scenario: put(pgData, '  instance A', urlA, pidA) },
        { server: 'pg-2b', scenario: put(pgData, '  instance B', urlB, pidB) },
      ], observer);
    }),
  );
  console.log(`measuring the data path alone (bench/pg-floor.ts, 1 s warm-up + ${settings.duration} s)...`);
  r.floor = await pgFloorRun(root, pgData, pgEnv.DATABASE_URL, POOL_SIZE, settings.duration, observer);
  return r as Runs;
}

function report(
  { root, quick }: SuiteOptions, settings: LoadSettings, size: DatasetSize, sqlite: Dataset, pgData: Dataset, runs: Runs,
  pgSettings: object, check: Awaited<ReturnType<typeof consistency>>,
) {
  const { baseline, full, normal, pg1, pg2, pg1Alone } = runs;
  const rows = withRatios(baseline.total, [baseline.total, full.total, normal.total, pg1.total, pg2.total, ...pg2.parts, pg1Alone.total]);
  const pgOf = new Map<Row | undefined, SplitRun>([[rows[3], pg1], [rows[4], pg2], [rows.at(-1), pg1Alone]]);
  const pgCpu = (r: Row) => pgOf.get(r)?.pg?.cpu ?? null;
  const perReq = (r: Row, perSec: number | null | undefined) => (perSec == null || r.reqPerSec === 0 ? null : perSec / r.reqPerSec);
  const vs = (r: Row, ref: SplitRun) => (ref.total.reqPerSec > 0 ? r.reqPerSec / ref.total.reqPerSec : 0);
  const extra = (r: Row) => ({
    pgCpu: pgCpu(r),
    pgUsPerReq: perReq(r, pgCpu(r) === null ? null : pgCpu(r)! * 1e6),
    xactsPerReq: perReq(r, pgOf.get(r)?.pg?.commitsPerSec),
    walSyncsPerReq: perReq(r, pgOf.get(r)?.pg?.walSyncsPerSec),
    vsSqliteFull: vs(r, full),
    vsSqliteNormal: vs(r, normal),
  });
  const fmt = (n: number | null, digits: number) => (n === null ? '' : n.toFixed(digits));
  console.log(`\nchat body ${Buffer.byteLength(runs.chatBody)} bytes; ${size.chats.toLocaleString('en-US')} chats, ${size.agents} agents; ` +
    '"ratio" = req/s ÷ baseline; "× full" / "× normal" = req/s ÷ SQLite\'s;\n"cpu pg": cores busy in PostgreSQL backends of the bench database; ' +
    '"xacts/req": its committed transactions (read-only ones too); "WAL flush/req": fsyncs of the WAL, cluster-wide;\n' +
    '"PostgreSQL 1, no Redis": one instance with its rate limit and live events in process, not as deployed: what Redis costs a request\n');
  console.log(formatTable(rows, [
    { head: 'cpu pg', cell: (r) => fmt(pgCpu(r), 2) },
    { head: 'pg µs/req', cell: (r) => fmt(extra(r).pgUsPerReq, 0) },
    { head: 'xacts/req', cell: (r) => fmt(extra(r).xactsPerReq, 2) },
    { head: 'WAL flush/req', cell: (r) => fmt(extra(r).walSyncsPerReq, 2) },
    { head: '× full', cell: (r) => extra(r).vsSqliteFull.toFixed(2) },
    { head: '× normal', cell: (r) => extra(r).vsSqliteNormal.toFixed(2) },
  ]));
  for (const [label, run] of [['1 instance', pg1], ['2 instances', pg2]] as const) console.log(`PostgreSQL backends, ${label}: ${describeWaits(run.waits)}`);
  const pct = (n: number, of: number) => (of === 0 ? 0 : Math.round((100 * n) / of));
  console.log(`HOT updates during the one-instance run (heap-only: no index entry written): ${runs.hot.length === 0 ? 'no updates' : runs.hot
    .map((t) => `${t.table} ${t.hot.toLocaleString('en-US')} of ${t.updated.toLocaleString('en-US')} (${pct(t.hot, t.updated)} %)`).join(', ')}`);
  const floor = runs.floor;
  const us = (n: number | null) => (n === null ? '?' : Math.round(n).toLocaleString('en-US'));
  const c1 = { srv: rows[3].serverUsPerReq, pg: pg1.pg?.cpu == null || pg1.total.reqPerSec === 0 ? null : (pg1.pg.cpu / pg1.total.reqPerSec) * 1e6 };
  console.log(`the data path alone (bench/pg-floor.ts: assignChat in a single-statement write, 50 callers in one process, a pool of ${POOL_SIZE}; ` +
    `no HTTP, authentication, rate limit or Redis): ${Math.round(floor.perSec).toLocaleString('en-US')} assignments/s, ` +
    `Node ${us(floor.cpuUsPerOp)} µs + PostgreSQL ${us(floor.pgUsPerOp)} µs of CPU per assignment; the one-instance HTTP run: server ${us(c1.srv)} µs + PostgreSQL ${us(c1.pg)} µs ` +
    `(${c1.srv === null ? '?' : us(c1.srv - floor.cpuUsPerOp)} µs per request above the data path: HTTP, auth, rate limit in Redis, live events to Redis)`);
  const targets = pgTargets(rows[3], full);
  console.log(`\ntargets (issue 17; start of the work: ${START_OF_WORK.reqPerSec} req/s for PostgreSQL 1 instance on ${START_OF_WORK.measured}, ` +
    `${START_OF_WORK.srvUsPerReq.toLocaleString('en-US')} + ${START_OF_WORK.pgUsPerReq.toLocaleString('en-US')} µs of CPU per assignment; now ${Math.round(pg1.total.reqPerSec).toLocaleString('en-US')} req/s${quick ? ', a quick run' : ''}):`);
  console.log(formatTargets(targets));
  // What the costs measured in this run allow: on one box every request's CPU — the server's,
  // PostgreSQL's and autocannon's — comes out of the same cores.
  const benchUs = pg1.total.reqPerSec > 0 ? (pg1.total.clientCpu / pg1.total.reqPerSec) * 1e6 : null;
  const cost1 = c1.srv !== null && c1.pg !== null && benchUs !== null ? c1.srv + c1.pg + benchUs : null;
  const ceiling = cost1 === null ? null : (cpus().length * 1e6) / cost1;
  const floorCeiling = floor.pgUsPerOp === null ? null : (cpus().length * 1e6) / (floor.cpuUsPerOp + floor.pgUsPerOp);
  console.log(`  one instance costs ${us(cost1)} µs of CPU per request here (server ${us(c1.srv)} + PostgreSQL ${us(c1.pg)} + autocannon ${us(benchUs)}): ` +
    `${cpus().length} cores allow ${us(ceiling)} req/s at most; ${TIMES_START}× the start is ${us(TIMES_START * START_OF_WORK.reqPerSec)} req/s. ` +
    `The data path alone (Node + PostgreSQL, no HTTP or Redis) would allow ${us(floorCeiling)}.`);
  const note = postgresNote({ rows, pg1, pg2, full, normal, pgSettings: pgSettings as Record<string, string>, poolSize: POOL_SIZE, cpus: cpus().length, check });
  console.log(`\n${note.join('\n')}`);
  if (rows.some((r) => r.flagged)) console.log('\nWARNING: some runs had non-2xx answers or errors; their numbers are not comparable.');

  const file = join(root, 'bench', 'results', 'postgres-latest.json');
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  const json = {
    at: new Date().toISOString(), node: process.version, cpus: cpus().length, quick, settings,
    dataset: { ...size, sqliteGenerationMs: Math.round(sqlite.generationMs), postgresGenerationMs: Math.round(pgData.generationMs), chatBodyBytes: Buffer.byteLength(runs.chatBody) },
    postgres: { settings: pgSettings, poolSizePerInstance: POOL_SIZE, backendStates: { oneInstance: roundAll(pg1.waits), twoInstances: roundAll(pg2.waits) } },
    runs: rows.map((r) => {
      const e = extra(r);
      const round = (n: number | null) => (n === null ? null : round2(n));
      return { ...rowJson(r), pgCpu: round(e.pgCpu), pgUsPerReq: e.pgUsPerReq === null ? null : Math.round(e.pgUsPerReq), xactsPerReq: round(e.xactsPerReq), walSyncsPerReq: round(e.walSyncsPerReq), vsSqliteFull: round2(e.vsSqliteFull), vsSqliteNormal: round2(e.vsSqliteNormal) };
    }),
    startOfWork: START_OF_WORK,
    dataPathAlone: { perSec: round2(floor.perSec), nodeUsPerOp: Math.round(floor.cpuUsPerOp), pgUsPerOp: floor.pgUsPerOp === null ? null : Math.round(floor.pgUsPerOp) },
    hotUpdates: runs.hot,
    targets: targets.map((t) => ({ ...t, value: round2(t.value) })),
    consistency: check,
    note,
  };
  writeFileSync(file, JSON.stringify(json, null, 2) + '\n');
  console.log(`\nresults written to ${file}`);
}

/** issue 17: one instance ≥ 4× the start of the work and ≥ 0.35× SQLite sync=full of the same run */
function pgTargets(pg1: Row, full: SplitRun): Target[] {
  const valid = !pg1.flagged && full.total.requests > 0;
  const timesStart = pg1.reqPerSec / START_OF_WORK.reqPerSec;
  const timesFull = full.total.reqPerSec > 0 ? pg1.reqPerSec / full.total.reqPerSec : 0;
  return [
    { name: `PUT assignee, PostgreSQL 1 instance ÷ the start of the work (${START_OF_WORK.reqPerSec} req/s, ${START_OF_WORK.measured})`, value: timesStart, op: '>=', bound: TIMES_START, met: valid && timesStart >= TIMES_START },
    { name: 'PUT assignee, PostgreSQL 1 instance ÷ SQLite sync=full (same run)', value: timesFull, op: '>=', bound: TIMES_SQLITE_FULL, met: valid && timesFull >= TIMES_SQLITE_FULL },
  ];
}

const roundAll = <T extends object>(o: T | null) => (o === null ? null : Object.fromEntries(Object.entries(o).map(([k, v]) => [k, round2(v as number)])));

/** Removes this run's rate-limit keys (they would expire within a minute anyway). */
async function clearRedis(prefix: string) {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 3_000 });
  try {
    await redis.connect();
    const keys: string[] = [];
    for await (const batch of redis.scanStream({ match: `${prefix}*`, count: 1000 })) keys.push(...(batch as string[]));
    if (keys.length > 0) await redis.del(...keys);
  } catch {
    // Redis unreachable at the end: nothing to clean that will not expire by itself
  } finally {
    redis.disconnect();
  }
}
