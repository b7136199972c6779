// The search suite (issue 3): the real server on a cached 1,000,000-chat database, the five
// requests of bench/search-cases.ts under one load shape, each p99 as a multiple of GET
// /v1/chats/{id}'s p99 in the same server run, and the server's peak RSS. It runs four times:
// on the file as migrate() leaves it (what a deployment gets: the server never runs ANALYZE),
// on a copy after ANALYZE, on the first file again with SEARCH_TOTALS_CACHE=0 for the
// filtered cases (what they cost right after a write), and on a copy while customer messages
// keep arriving. Then the same app from memory (the floor), and missed targets explained in-process.
import { closeSync, mkdirSync, openSync, readSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename, join } from 'node:path';
import type { LoadSettings, Measurement } from '../load.ts';
import { createRecorder } from '../recorder.ts';
import { sampleRss } from '../rss.ts';
import { searchCases, type SearchCase } from '../search-cases.ts';
import { analyzedCopy, searchDataset, type SearchDataset } from '../search-dataset.ts';
import { explainCases } from '../search-explain.ts';
import { progress } from '../progress.ts';
import { copyDatabaseFile, startMessages } from '../message-writer.ts';
import { withServer } from '../server-process.ts';
import { ceiling, formatTable, formatTargets, round2, rowJson, withRatios, type Row, type Target } from '../table.ts';
import type { SuiteOptions } from './options.ts';

const MAX_RSS_MB = 300;

/** what every server of this suite runs with besides its own variables */
const serverEnv = (path: string) => ({ DATABASE_URL: `sqlite:${path}`, HANDOFF_DEMO: '0', LOG_LEVEL: 'warn' });
const requestHeaders = (data: SearchDataset) => ({ authorization: `Bearer ${data.apiKey}`, 'content-type': 'application/json' });

interface Variant {
  short: string;
  label: string;
  path: string;
  /** server environment beyond the database */
  env?: Record<string, string>;
  /** the cases this variant runs ((v), the reference, always first); all when absent */
  only?: Array<SearchCase['key']>;
  /** customer messages posted per second to random chats while each case runs (a live desk) */
  writesPerSecond?: number;
  /** `path` is made as a copy of this file just before the variant runs */
  copyOf?: string;
}

interface VariantResult extends Variant {
  /** each case's probe answer, by case */
  answers: Map<SearchCase['key'], string>;
  rows: Row[];
  p99Ratio: Map<string, number>;
  peakRssMb: Map<string, number | null>;
  overallPeakRssMb: number | null;
  targets: Target[];
  missed: SearchCase[];
}

/**
 * Reads the database file once, so every variant starts on a file in the OS page cache: a
 * long-running server's file is, and this VM slowly hands cached pages back to the host, so a
 * file used minutes ago (the ANALYZE copy) would otherwise pay disk reads the other did not.
 */
function warmOsCache(path: string): void {
  const started = performance.now();
  const fd = openSync(path, 'r');
  const chunk = Buffer.alloc(8 * 2 ** 20);
  let bytes = 0;
  try {
    for (let n; (n = readSync(fd, chunk, 0, chunk.length, bytes)) > 0; ) bytes += n;
  } finally {
    closeSync(fd);
  }
  console.log(`  read ${(bytes / 2 ** 20).toFixed(0)} MiB into the OS page cache in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** one request of each case before loading: a broken route must fail loudly, not as fast 4xx */
async function probe(url: string, headers: Record<string, string>, c: SearchCase): Promise<{ summary: string; body: string }> {
  const req = c.request();
  const res = await fetch(url + req.path, { method: c.method, headers, body: req.body });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${c.name}: ${c.method} ${req.path} answered ${res.status}: ${text.slice(0, 300)}`);
  const json = JSON.parse(text) as { data?: unknown[]; meta?: { total: number } };
  const kb = `${(Buffer.byteLength(text) / 1024).toFixed(1)} KB`;
  const summary = json.meta ? `${json.data?.length} chats of ${json.meta.total.toLocaleString('en-US')} matching, ${kb}` : `one chat, ${kb}`;
  return { summary, body: text };
}

/**
 * Waits until the server answers a trivial request quickly again. A request that timed out
 * on the client is still being computed by the server (SQLite calls are synchronous), and
 * that backlog must not be billed to the next case.
 */
async function drained(url: string): Promise<void> {
  const until = Date.now() + 180_000;
  // One quick answer can slip in between two abandoned requests; five in a row, 100 ms apart, cannot.
  for (let quick = 0; quick < 5; ) {
    if (Date.now() > until) throw new Error('the server stayed busy for 3 minutes after a run');
    const t = performance.now();
    await fetch(`${url}/health/ready`).then((r) => r.arrayBuffer(), () => undefined);
    quick = performance.now() - t < 50 ? quick + 1 : 0;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function searchSuite(opts: SuiteOptions) {
  const settings: LoadSettings = { connections: 10, pipelining: 1, duration: opts.duration, warmup: 2 };
  const chats = opts.chats ?? 1_000_000;
  const size = { chats, customers: chats / 5, agents: 100, departments: 10 };
  const { measured, printProfiles } = createRecorder(settings);
  console.log('\n=== search suite (issue 3) ===');
  console.log(`dataset: ${chats.toLocaleString('en-US')} chats, ${size.customers.toLocaleString('en-US')} customers, ${size.agents} agents, ${size.departments} departments`);
  const data = await searchDataset(opts.root, size, progress());
  const genS = (data.generationMs / 1000).toFixed(1);
  const phases = Object.entries(data.phases).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ');
  console.log(data.reused ? `reused cached ${data.path} (generated in ${genS} s when first built: ${phases})` : `generated ${data.path} in ${genS} s (${phases})`);
  console.log(`file ${(data.fileBytes / 2 ** 20).toFixed(0)} MiB\n  ${data.description}`);
  const analyzed = analyzedCopy(data, progress());
  console.log(analyzed.analyzeMs === null ? `reused cached ${analyzed.path}` : `ANALYZE copy ${analyzed.path}`);
  console.log(`load: ${settings.connections} connections for every request (the heavy ones queue behind each other on one event loop), ` +
    `pipelining ${settings.pipelining}, ${settings.warmup} s warm-up + ${settings.duration} s per run${opts.quick ? ' (quick)' : ''}`);

  const variants: Variant[] = [
    { short: 'plain', label: 'as migrated, no ANALYZE = what a deployment gets; the verdict', path: data.path },
    { short: 'analyzed', label: 'after ANALYZE (sqlite_stat1 present)', path: analyzed.path, only: ['v', 'i', 'ii', 'iii', 'iv'] },
    // The same searches repeat in this load, so (iii)'s total comes from the totals cache
    // (src/modules/search/totals-cache.ts) after the first request. This run counts every time:
    // what (iii) costs after any write has invalidated it.
    { short: 'uncached', label: 'plain file, SEARCH_TOTALS_CACHE=0: every total counted', path: data.path, env: { SEARCH_TOTALS_CACHE: '0' }, only: ['v', 'i', 'ii', 'iii'] },
    // A desk at work: messages keep arriving, and with them writes that end remembered totals.
    // On a copy, so the cached dataset stays as generated.
    {
      short: 'writes', label: `a copy of the plain file, ${WRITES_PER_SECOND} customer messages a second arriving meanwhile`,
      path: join(opts.tmp, 'search-writes.sqlite'), copyOf: data.path, only: ['v', 'i', 'ii', 'iii'], writesPerSecond: WRITES_PER_SECOND,
    },
  ];
  const results: VariantResult[] = [];
  for (const v of variants) results.push(await measureVariant(v, data, opts, settings, measured));
  const floor = await measureFloor(results[0], data, opts, measured);

  for (const r of results) {
    console.log(`\n--- ${r.short}: ${r.label} ---`);
    console.log(formatTable(r.rows, [
      { head: 'p99 ×(v)', cell: (row) => (row.requests === 0 ? 'no answer' : (r.p99Ratio.get(row.name) ?? 0).toFixed(2)) },
      { head: 'peak RSS MB', cell: (row) => String(r.peakRssMb.get(row.name) ?? '?') },
    ]));
    console.log('("ratio" is req/s relative to (v); "p99 ×(v)" is what the targets bound)');
    console.log('targets:');
    console.log(formatTargets(r.targets));
    const information = searchCases(data).filter((c) => c.maxP99Ratio === null && c.key !== 'v' && r.p99Ratio.has(c.name));
    for (const c of information) console.log(`  (no target) ${r.short} ${c.name}: p99 ×(v) ${r.p99Ratio.get(c.name)!.toFixed(2)}`);
  }
  console.log('\n--- stack floor: the app answering from memory, no database ---');
  console.log(formatTable(floor.rows));
  const pageVsRealChat = floor.rows[1].p99 / results[0].rows[0].p99;
  console.log(
    `a 100-chat page served from memory: p99 ${floor.pageP99Ratio.toFixed(2)} × a chat served from memory, ` +
      `${pageVsRealChat.toFixed(2)} × the real (v) on the plain file — what sending a page takes of the p99 budget before any database work`,
  );
  const busy = results.flatMap((r) => r.rows.filter((row) => (row.otherCpu ?? 0) > 0.25).map((row) => `${r.short} ${row.name.split(' ')[0]}`));
  if (busy.length > 0) console.log(`\nNOTE: other processes used CPU during ${busy.join(', ')} ("cpu other"); ratios are noisier than usual.`);
  if (results.some((r) => r.rows.some((row) => row.flagged))) console.log('\nWARNING: some runs had non-2xx answers or errors (timeouts); their latencies cover only the answered requests.');

  // Every missed target gets its SQL, plan and per-query times on the file it missed on.
  const investigation: Record<string, unknown> = {};
  for (const r of results) {
    if (r.missed.length === 0) continue;
    console.log(`\n=== why ${r.short} missed: ${r.missed.map((c) => `(${c.key})`).join(' ')} — SQL, EXPLAIN QUERY PLAN and in-process times ===`);
    investigation[r.short] = await explainCases(r.path, data.orgId, [searchCases(data)[0], ...r.missed], console.log);
  }

  const file = join(opts.root, 'bench', 'results', 'search-latest.json');
  mkdirSync(join(opts.root, 'bench', 'results'), { recursive: true });
  const report = {
    at: new Date().toISOString(), node: process.version, cpus: cpus().length, quick: opts.quick, settings,
    dataset: { ...size, key: data.key, reused: data.reused, generationMs: Math.round(data.generationMs), phases: data.phases, fileBytes: data.fileBytes, analyzeMs: analyzed.analyzeMs },
    variants: results.map((r) => ({
      name: r.short, label: r.label, file: basename(r.path), peakRssMb: r.overallPeakRssMb,
      runs: r.rows.map((row) => ({ ...rowJson(row), p99Ratio: round2(r.p99Ratio.get(row.name) ?? 0), peakRssMb: r.peakRssMb.get(row.name) })),
      targets: r.targets.map((t) => ({ ...t, value: round2(t.value) })),
    })),
    floor: { runs: floor.rows.map(rowJson), pageP99Ratio: round2(floor.pageP99Ratio), pageVsRealChatP99Ratio: round2(pageVsRealChat) },
    investigation,
  };
  writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
  console.log(`\nresults written to ${file}`);
  if (opts.profileDir) printProfiles(opts.profileDir);
}

async function measureVariant(
  v: Variant, data: SearchDataset, opts: SuiteOptions, settings: LoadSettings,
  measured: ReturnType<typeof createRecorder>['measured'],
): Promise<VariantResult> {
  const cases = searchCases(data).filter((c) => !v.only || v.only.includes(c.key));
  const headers = requestHeaders(data);
  const env = { ...serverEnv(v.path), ...v.env };
  const server = `search-${v.short}`;
  console.log(`\nserver on the ${v.short} file (${v.label})`);
  if (v.copyOf) copyDatabaseFile(v.copyOf, v.path);
  warmOsCache(v.path);
  const runs: Measurement[] = [];
  const peakRssMb = new Map<string, number | null>();
  const answers = new Map<SearchCase['key'], string>();
  let overallPeakRssMb: number | null = null;
  await withServer({ name: server, script: join(opts.root, 'src', 'main.ts'), env, readyPath: '/health/ready', profileDir: opts.profileDir }, async (url, pid) => {
    const rss = sampleRss(pid);
    try {
      for (const c of cases) {
        const answer = await probe(url, headers, c);
        answers.set(c.key, answer.body);
        console.log(`  probe ${c.name}: 200, ${answer.summary}`);
      }
      for (const c of cases) {
        rss.windowPeakMb(); // the peak of this case alone, warm-up included
        const writer = v.writesPerSecond ? startMessages(url, headers, data, v.writesPerSecond) : null;
        runs.push(await measured(server, { name: c.name, url, pid, method: c.method, headers, next: c.request }));
        if (writer) console.log(`  while ${c.name.split(' ')[0]} ran: ${await writer.stop()}`);
        peakRssMb.set(c.name, rss.windowPeakMb());
        await drained(url);
      }
    } finally {
      overallPeakRssMb = rss.stop().peakMb;
    }
  });
  const rows = withRatios(runs[0], runs);
  const reference = rows[0];
  // a run in which no request was answered has no p99: it is infinitely slow, not 0
  const p99Ratio = new Map(rows.map((r) => [r.name, r.requests === 0 ? Infinity : reference.p99 > 0 ? r.p99 / reference.p99 : 0]));
  const targets: Target[] = [];
  const missed: SearchCase[] = [];
  cases.forEach((c, i) => {
    if (c.maxP99Ratio === null) return;
    const t = ceiling(`${v.short} ${c.name.split(' (')[0]} p99 / (v) p99`, p99Ratio.get(c.name)!, c.maxP99Ratio, !rows[i].flagged && !reference.flagged);
    targets.push(t);
    if (!t.met) missed.push(c);
  });
  targets.push(ceiling(`${v.short} server peak RSS, MB`, overallPeakRssMb ?? Infinity, MAX_RSS_MB));
  console.log(`  server peak RSS over the whole run: ${overallPeakRssMb ?? '?'} MB`);
  return { ...v, rows, p99Ratio, peakRssMb, overallPeakRssMb, targets, missed, answers };
}

const WRITES_PER_SECOND = 10;

/**
 * The stack's floor for the page cases (bench/app-floor-server.ts): the same app answering
 * (v)'s chat and (ii)'s 100-chat page from memory under the same load, so the p99 ratio that
 * serialising and sending a page costs, before any database work, is measured in the run.
 */
async function measureFloor(
  plain: VariantResult, data: SearchDataset, opts: SuiteOptions, measured: ReturnType<typeof createRecorder>['measured'],
): Promise<{ rows: Row[]; pageP99Ratio: number }> {
  const [v, ii] = searchCases(data).filter((c) => c.key === 'v' || c.key === 'ii');
  const pageFile = join(opts.tmp, 'floor-page.json');
  writeFileSync(pageFile, plain.answers.get('ii') ?? '{}');
  const headers = requestHeaders(data);
  const env = { ...serverEnv(plain.path), BENCH_BODY: plain.answers.get('v') ?? '{}', BENCH_PAGE_FILE: pageFile };
  console.log('\nstack floor: the same app answering from memory (no database)');
  const runs = await withServer({ name: 'search-floor', script: join(opts.root, 'bench', 'app-floor-server.ts'), env, readyPath: '/health/ready', profileDir: opts.profileDir }, async (url, pid) => [
    await measured('search-floor', { name: 'floor: (v) chat from memory', url, pid, method: v.method, headers, next: v.request }),
    await measured('search-floor', { name: 'floor: (ii) page from memory', url, pid, method: ii.method, headers, next: ii.request }),
  ]);
  const rows = withRatios(runs[0], runs);
  return { rows, pageP99Ratio: rows[0].p99 > 0 ? rows[1].p99 / rows[0].p99 : 0 };
}
