// `npm run soak`: a bounded soak (issue 15). A real server child process on loopback, several
// organizations each driven just under its rate limit by its own mix of reads, searches,
// assignments and messages (bench/soak-mix.ts); every 30 s a block of requests, errors, p99
// per route and the server's RSS; at the end a verdict on memory: RSS must not grow by more
// than 10 % after warm-up (the first 20 % of the run). Exits 1 on FAIL, on any 5xx and on any
// request left without an answer. A verdict printed by the bench, never a timed test (DESIGN 12).
//   SOAK_SECONDS (300)                 length of the load, warm-up included
//   SOAK_DATABASE_URL                  postgres://…: run on PostgreSQL, in a scratch database of
//                                      this run dropped afterwards; SQLite in a temp file otherwise
//   SOAK_ORGS (4), SOAK_RATE_PER_MINUTE (3000): organizations, and each one's rate limit
//   SOAK_CHATS (20000)                 chats per organization (customers: a quarter of that)
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineCpuSeconds, processCpuSeconds } from './load.ts';
import { sampleRss } from './rss.ts';
import { adminQuery } from './pg-dataset.ts';
import { mainThreadProfile, summarizeProfile } from './profile.ts';
import { profileDirFor, startServer } from './server-process.ts';
import { startClient, type SoakClient, type SoakRequest } from './soak-client.ts';
import { createMix } from './soak-mix.ts';
import { formatBlock, formatTotals, formatVerdict, tallyJson, clock } from './soak-report.ts';
import { seed, type SoakDatabase } from './soak-seed.ts';
import { count, maxOf, newTally, rssVerdict, type RssSample } from './soak-stats.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BLOCK_S = 30;
/** the pace, as a share of each organization's limit: just under it */
const PACE = 0.95;
const MAX_IN_FLIGHT = 32;

function setting(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`${name}=${raw}: expected a whole number from ${min} to ${max}`);
    process.exit(2);
  }
  return n;
}

const seconds = setting('SOAK_SECONDS', 300, 20, 86_400);
const orgCount = setting('SOAK_ORGS', 4, 1, 32);
const ratePerMinute = setting('SOAK_RATE_PER_MINUTE', 3_000, 60, 1_000_000);
const chats = setting('SOAK_CHATS', 20_000, 1_000, 1_000_000);
const customers = Math.floor(chats / 4);
const postgresUrl = process.env.SOAK_DATABASE_URL || undefined;
if (postgresUrl && !/^postgres(ql)?:\/\//.test(postgresUrl)) {
  console.error(`SOAK_DATABASE_URL=${postgresUrl}: expected a postgres:// URL (SQLite is the default)`);
  process.exit(2);
}
// Warm-up: the first 20 % of the run (60 s of the default 5 minutes): JIT, SQLite's page
// caches and the statement caches fill in it. RSS is compared over windows of 5 % (15 s).
const warmupS = Math.round(seconds * 0.2);
const windowS = Math.max(3, Math.round(seconds * 0.05));

const tmp = mkdtempSync(join(tmpdir(), 'handoff-soak-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

/** one request of each kind per organization before the load: a broken mix must fail loudly */
async function probe(url: string, db: SoakDatabase): Promise<void> {
  for (const org of db.orgs) {
    const mix = createMix(org.profile, { ...org.data, customers });
    const seen = new Set<string>();
    for (let i = 0; i < 500 && seen.size < 7; i++) {
      const req: SoakRequest = mix.next();
      if (seen.has(req.route)) continue;
      seen.add(req.route);
      const res = await fetch(url + req.path, {
        method: req.method, body: req.body, headers: { authorization: `Bearer ${org.data.apiKey}`, 'content-type': 'application/json' },
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${org.name}: ${req.method} ${req.path} ${req.body ?? ''} answered ${res.status}: ${text.slice(0, 300)}`);
    }
  }
}

async function main(): Promise<number> {
  const where = postgresUrl ? `PostgreSQL (${new URL(postgresUrl).host}, a scratch database)` : 'SQLite (a temp file, SQLITE_SYNCHRONOUS=full)';
  console.log(`Handoff soak: node ${process.version}, ${cpus().length} CPUs; ${where}`);
  console.log(`${orgCount} organizations, each with a limit of ${ratePerMinute.toLocaleString('en-US')} requests/min and driven at ${PACE * 100} % of it ` +
    `(${((ratePerMinute / 60) * PACE).toFixed(1)}/s); ${clock(seconds)} of load, warm-up ${clock(warmupS)}, a block every ${BLOCK_S} s`);
  console.log(`seeding ${orgCount} × ${chats.toLocaleString('en-US')} chats, ${customers.toLocaleString('en-US')} customers, 20 agents`);
  const db = await seed({ orgs: orgCount, size: { agents: 20, customers, chats }, rateLimitPerMinute: ratePerMinute, postgresUrl, tmp });
  console.log(`seeded in ${(db.seedMs / 1000).toFixed(1)} s`);
  await flushSeedWrites(db);
  try {
    const env = { DATABASE_URL: db.url, HANDOFF_DEMO: '0', LOG_LEVEL: 'warn' };
    // The server's log (warnings and errors only) is kept for explaining a 5xx after the run.
    mkdirSync(join(ROOT, '.bench'), { recursive: true });
    const logFile = join(ROOT, '.bench', `soak-server-${db.kind}.log`);
    const profileDir = profileDirFor(ROOT);
    const server = await startServer({ name: 'soak', script: join(ROOT, 'src', 'main.ts'), env, readyPath: '/health/ready', logFile, profileDir });
    console.log(`server pid ${server.pid} on ${server.url}; its log: ${logFile}`);
    let code: number;
    try {
      await probe(server.url, db);
      code = await soak(server.url, server.pid, db);
    } finally {
      await server.stop();
    }
    // BENCH_PROFILE=1: where the server spent its CPU in the block with the slowest answer
    // (the profile is written when the server exits).
    const file = profileDir && mainThreadProfile(join(profileDir, 'soak'));
    if (file && slowest) console.log(`
=== profile of the block ending ${clock(slowest.endS)} (slowest answer ${slowest.maxMs.toFixed(0)} ms): ${summarizeProfile(file, slowest.window)}`);
    return code;
  } finally {
    await db.scratch?.drop();
  }
}

/** the kernel's dirty page cache, MB (Linux); null elsewhere */
function dirtyMb(): number | null {
  try {
    const m = /^Dirty:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * The generators write without waiting for the disk (synchronous off); what they leave in the
 * page cache is written back some 30 s later, in the first block, where each durable commit's
 * fsync would queue behind it. Flushed now, so the first block measures the server alone.
 */
async function flushSeedWrites(db: SoakDatabase): Promise<void> {
  const started = performance.now();
  const before = dirtyMb();
  if (db.scratch && postgresUrl) await adminQuery(postgresUrl, 'checkpoint').catch(() => {}); // needs superuser; sync below regardless
  execFileSync('sync');
  const took = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`flushed the seeding's writes to disk in ${took} s (dirty page cache ${before?.toFixed(0) ?? '?'} MB before, ${dirtyMb()?.toFixed(0) ?? '?'} MB after)`);
}

/** the block with the slowest answer: its window in µs of the monotonic clock V8's profiles use */
let slowest: { endS: number; maxMs: number; window: [number, number] } | null = null;
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

async function soak(url: string, pid: number, db: SoakDatabase): Promise<number> {
  const samples: RssSample[] = [];
  const start = performance.now();
  const elapsed = () => (performance.now() - start) / 1000;
  const rss = sampleRss(pid, 250, (mb) => samples.push({ t: elapsed(), mb }));
  const total = newTally();
  let block = newTally();
  const clients: SoakClient[] = db.orgs.map((org) => {
    const mix = createMix(org.profile, { ...org.data, customers });
    return startClient({
      org: org.data.orgId, url, apiKey: org.data.apiKey, perSecond: (ratePerMinute / 60) * PACE, maxInFlight: MAX_IN_FLIGHT,
      next: mix.next, onOk: mix.answered,
      report: (o) => { count(total, o); count(block, o); },
    });
  });
  const notSent = () => clients.reduce((s, c) => s + c.notSent(), 0);
  const blocks: object[] = [];
  // CPU of the server, of this process (the clients) and of everything else on the machine
  // (other sessions' tests): a slow block on a busy machine says so.
  const cpuNow = () => ({ server: processCpuSeconds(pid), bench: process.cpuUsage(), machine: machineCpuSeconds() });
  let last = { t: 0, cpu: cpuNow(), notSent: 0, us: monotonicUs() };
  const endBlock = (t: number) => {
    const cpu = cpuNow();
    const cores = blockCores(last.cpu, cpu, t - last.t);
    const current = samples.length ? samples[samples.length - 1].mb : null;
    const info = {
      elapsedS: t, lengthS: t - last.t, tally: block, rssMb: current, rssPeakMb: rss.windowPeakMb(),
      ...cores, notSent: notSent() - last.notSent,
    };
    console.log(formatBlock(info));
    blocks.push({ elapsedS: Math.round(t), ...tallyJson(block), notSent: info.notSent, rssMb: info.rssMb && Math.round(info.rssMb * 10) / 10, rssPeakMb: info.rssPeakMb, cores: cores });
    const maxMs = maxOf([...block.latencies.values()].map((l) => maxOf(l) ?? 0)) ?? 0;
    if (!slowest || maxMs > slowest.maxMs) slowest = { endS: t, maxMs, window: [last.us, monotonicUs()] };
    last = { t, cpu, notSent: notSent(), us: monotonicUs() };
    block = newTally();
  };
  for (let next = BLOCK_S; next < seconds; next += BLOCK_S) {
    await new Promise((r) => setTimeout(r, Math.max(0, (next - elapsed()) * 1000)));
    endBlock(next);
  }
  await new Promise((r) => setTimeout(r, Math.max(0, (seconds - elapsed()) * 1000)));
  await Promise.all(clients.map((c) => c.stop()));
  endBlock(seconds);
  rss.stop();

  const verdict = rssVerdict(samples, warmupS, seconds, windowS);
  console.log(`\n${formatTotals(total, seconds, notSent())}\n`);
  console.log(formatVerdict(verdict, warmupS, windowS, seconds));
  const failures = [
    ...(verdict?.pass ? [] : ['RSS grew more than 10 % after warm-up']),
    ...(total.server5xx > 0 ? [`${total.server5xx} answers were 5xx`] : []),
    ...(total.socket > 0 ? [`${total.socket} requests got no answer (socket error or 10 s timeout)`] : []),
  ];
  console.log(failures.length === 0 ? 'soak: PASS' : `soak: FAIL: ${failures.join('; ')}`);

  const file = join(ROOT, 'bench', 'results', db.kind === 'postgres' ? 'soak-postgres-latest.json' : 'soak-latest.json');
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(file, JSON.stringify({
    at: new Date().toISOString(), node: process.version, cpus: cpus().length, database: db.kind, seconds, warmupS, windowS,
    orgs: db.orgs.map((o) => ({ id: o.data.orgId, name: o.name, profile: o.profile.weights, rateLimitPerMinute: ratePerMinute, perSecond: round1((ratePerMinute / 60) * PACE) })),
    dataset: { chatsPerOrg: chats, customersPerOrg: customers, agentsPerOrg: 20, seedMs: Math.round(db.seedMs) },
    blocks, total: { ...tallyJson(total), notSent: notSent() },
    rss: verdict && { ...verdict, afterWarmupMb: round1(verdict.afterWarmupMb), endMb: round1(verdict.endMb), growthPct: round1(verdict.growthPct), peakMb: round1(verdict.peakMb), slopeMbPerMin: Math.round(verdict.slopeMbPerMin * 100) / 100 },
    rssSeries: everySecond(samples),
    verdict: failures.length === 0 ? 'PASS' : 'FAIL', failures,
  }, null, 2) + '\n');
  console.log(`results written to ${file}`);
  return failures.length === 0 ? 0 : 1;
}

type CpuReading = { server: number | null; bench: NodeJS.CpuUsage; machine: number | null };
/** cores busy during a block: the server, the bench, everything else (rounded) */
function blockCores(from: CpuReading, to: CpuReading, wallS: number) {
  const server = from.server === null || to.server === null ? null : (to.server - from.server) / wallS;
  const bench = (to.bench.user - from.bench.user + to.bench.system - from.bench.system) / 1e6 / wallS;
  const machine = from.machine === null || to.machine === null ? null : (to.machine - from.machine) / wallS;
  const other = machine === null || server === null ? null : Math.max(0, machine - server - bench);
  const r = (n: number | null) => (n === null ? null : Math.round(n * 100) / 100);
  return { serverCpu: r(server), benchCpu: r(bench), otherCpu: r(other) };
}

const round1 = (n: number) => Math.round(n * 10) / 10;
/** one reading per second (of four), [s, MB]: enough to plot, small enough to commit */
const everySecond = (samples: RssSample[]) => samples.filter((_, i) => i % 4 === 0).map((s) => [Math.round(s.t), round1(s.mb)]);

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`soak failed: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  },
);
