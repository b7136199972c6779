// `npm run bench [-- --quick] [-- --duration N]`: builds a 100,000-chat database, then measures
// a bare node:http baseline, GET /v1/chats/{id} and PUT /v1/chats/assignee (synchronous FULL
// and NORMAL) under the same load, and prints each rate as a ratio to the baseline measured
// in the same run (DESIGN rule 12). BENCH_PROFILE=1 also CPU-profiles the server children.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildDataset, type Dataset } from './dataset.ts';
import { measure, type LoadSettings, type Measurement, type Scenario } from './load.ts';
import { mainThreadProfile, summarizeProfile } from './profile.ts';
import { profileDirFor, startServer } from './server-process.ts';
import { formatTable, formatTargets, target, withRatios } from './table.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = join(ROOT, 'bench', 'results', 'latest.json');

const { values: args } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, duration: { type: 'string' } },
});
const quick = args.quick === true;
const duration = args.duration !== undefined ? Number(args.duration) : quick ? 3 : 10;
if (!Number.isInteger(duration) || duration < 1 || duration > 600) {
  console.error(`--duration ${args.duration}: expected whole seconds from 1 to 600`);
  process.exit(2);
}
const size = { agents: 50, customers: quick ? 2_000 : 10_000, chats: quick ? 20_000 : 100_000 };
const settings: LoadSettings = { connections: 50, pipelining: 1, duration, warmup: 2 };
const profileDir = profileDirFor(ROOT);

// Temp files go even when the bench is interrupted; children are killed by server-process.ts.
const tmp = mkdtempSync(join(tmpdir(), 'handoff-bench-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

const random = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

function serverEnv(data: Dataset, sync: 'full' | 'normal') {
  return { DATABASE_URL: `sqlite:${data.path}`, HANDOFF_DEMO: '0', LOG_LEVEL: 'warn', SQLITE_SYNCHRONOUS: sync };
}

function scenarios(data: Dataset, url: string, pid?: number) {
  const headers = { authorization: `Bearer ${data.apiKey}`, 'content-type': 'application/json' };
  const chatId = () => random(data.firstChatId, data.lastChatId);
  const agentId = () => data.agentIds[random(0, data.agentIds.length - 1)];
  const get = (name: string): Scenario => ({ name, url, pid, method: 'GET', headers, next: () => ({ path: `/v1/chats/${chatId()}` }) });
  const put = (name: string): Scenario => ({
    name, url, pid, method: 'PUT', headers,
    next: () => ({ path: '/v1/chats/assignee', body: JSON.stringify({ id: chatId(), assignee: agentId() }) }),
  });
  return { get, put, headers };
}

/** One real request of each kind before loading: a broken route must fail loudly, not as "fast 404s". */
async function checkRoutes(data: Dataset, url: string): Promise<string> {
  const { headers } = scenarios(data, url);
  const got = await fetch(`${url}/v1/chats/${data.firstChatId}`, { headers });
  const body = await got.text();
  if (got.status !== 200 || (JSON.parse(body) as { id?: number }).id !== data.firstChatId) {
    throw new Error(`GET /v1/chats/${data.firstChatId} answered ${got.status}: ${body.slice(0, 300)}`);
  }
  const assignee = data.agentIds[0];
  const put = await fetch(`${url}/v1/chats/assignee`, {
    method: 'PUT', headers, body: JSON.stringify({ id: data.lastChatId, assignee }),
  });
  const putBody = await put.text();
  if (put.status !== 200 || (JSON.parse(putBody) as { assignee?: { id: number } }).assignee?.id !== assignee) {
    throw new Error(`PUT /v1/chats/assignee answered ${put.status}: ${putBody.slice(0, 300)}`);
  }
  return body;
}

async function withServer<T>(name: string, script: string, env: Record<string, string>, readyPath: string, use: (url: string, pid: number) => Promise<T>) {
  const server = await startServer({ name, script, env, readyPath, profileDir });
  try {
    return await use(server.url, server.pid);
  } finally {
    await server.stop();
  }
}

/** every measured run with the server (profile directory) it ran against */
const measuredOn: Array<{ server: string; run: Measurement }> = [];

async function measured(server: string, scenario: Scenario): Promise<Measurement> {
  console.log(`measuring ${scenario.name} (${settings.warmup} s warm-up + ${settings.duration} s)...`);
  const run = await measure(scenario, settings);
  measuredOn.push({ server, run });
  return run;
}

/** BENCH_PROFILE=1: where each measured run spent the server's CPU (profiles exist once the children exited) */
function printProfiles(dir: string) {
  for (const { server, run } of measuredOn) {
    const file = mainThreadProfile(join(dir, server));
    if (file) console.log(`\n=== profile of ${run.name}: ${summarizeProfile(file, run.window)}`);
  }
}

async function main() {
  console.log(`Handoff bench: node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'})`);
  console.log(`load: ${settings.connections} connections, pipelining ${settings.pipelining}, ${settings.duration} s per run${quick ? ' (quick)' : ''}`);
  console.log(`generating ${size.chats.toLocaleString('en-US')} chats in ${tmp}`);
  const data = await buildDataset(join(tmp, 'bench.sqlite'), size, (line) => console.log(`  ${line}`));
  console.log(`generated in ${(data.generationMs / 1000).toFixed(1)} s`);

  const mainScript = join(ROOT, 'src', 'main.ts');
  const runs: Measurement[] = [];
  let chatBody = '';
  let baseline: Measurement | undefined;
  await withServer('server-full', mainScript, serverEnv(data, 'full'), '/health/ready', async (url, pid) => {
    chatBody = await checkRoutes(data, url);
    // The baseline runs while this server idles, so both see the same machine; it needs the body.
    baseline = await withServer('baseline', join(ROOT, 'bench', 'baseline-server.ts'), { BENCH_BODY: chatBody }, '/', (bUrl, bPid) =>
      measured('baseline', { name: 'baseline node:http', url: bUrl, pid: bPid, method: 'GET', next: () => ({ path: `/v1/chats/${random(1, size.chats)}` }) }),
    );
    const s = scenarios(data, url, pid);
    runs.push(await measured('server-full', s.get('GET /v1/chats/{id}')));
    runs.push(await measured('server-full', s.put('PUT assignee sync=full')));
  });
  await withServer('server-normal', mainScript, serverEnv(data, 'normal'), '/health/ready', async (url, pid) => {
    await checkRoutes(data, url);
    runs.push(await measured('server-normal', scenarios(data, url, pid).put('PUT assignee sync=normal')));
  });
  if (!baseline) throw new Error('baseline did not run');

  const rows = withRatios(baseline, [baseline, ...runs]);
  const byName = (prefix: string) => rows.find((r) => r.name.startsWith(prefix));
  const targets = [
    target('(b) GET chat / baseline', byName('GET'), 0.7),
    target('(c) PUT assignee sync=normal / baseline', byName('PUT assignee sync=normal'), 0.5),
    target('(c) PUT assignee sync=full / baseline', byName('PUT assignee sync=full'), 0.25),
  ];
  console.log(`\nchat body ${Buffer.byteLength(chatBody)} bytes; ${size.chats.toLocaleString('en-US')} chats, ${size.agents} agents\n`);
  console.log(formatTable(rows));
  console.log('\ntargets:');
  console.log(formatTargets(targets));
  const busy = rows.filter((r) => (r.otherCpu ?? 0) > 0.25);
  if (busy.length > 0) {
    console.log(`\nNOTE: other processes used CPU during ${busy.map((r) => r.name).join(', ')} ("cpu other"); ratios are noisier than usual.`);
  }
  if (rows.some((r) => r.flagged)) console.log('\nWARNING: some runs had non-2xx answers or errors; their numbers are not comparable.');

  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  const round = (n: number) => Math.round(n * 100) / 100;
  const report = {
    at: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    quick,
    settings,
    dataset: { ...size, generationMs: Math.round(data.generationMs), chatBodyBytes: Buffer.byteLength(chatBody) },
    runs: rows.map(({ window: _, ...r }) => ({
      ...r, reqPerSec: round(r.reqPerSec), ratio: round(r.ratio),
      clientCpu: round(r.clientCpu), serverCpu: r.serverCpu === null ? null : round(r.serverCpu), otherCpu: r.otherCpu === null ? null : round(r.otherCpu),
      serverUsPerReq: r.serverUsPerReq === null ? null : Math.round(r.serverUsPerReq),
    })),
    targets: targets.map((t) => ({ ...t, ratio: round(t.ratio) })),
  };
  writeFileSync(RESULTS, JSON.stringify(report, null, 2) + '\n');
  console.log(`\nresults written to ${RESULTS}`);
  if (profileDir) printProfiles(profileDir);
}

main().then(
  () => process.exit(0), // a missed target is a measurement, not a failure
  (err) => {
    console.error(`bench failed: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  },
);
