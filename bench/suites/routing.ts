// The routing suite (issue 13): 500 online agents, 10,000 chats waiting. Measured in one run on
// one server: manual PUT /v1/chats/assignee (the reference), POST /v1/chats/{id}/route (one
// decision per request: its rate and p99), the routing worker draining the 10,000 waiting chats
// (decisions per second), and POST /v1/chats with routing off and on (the p99 routing adds).
import BetterSqlite3 from 'better-sqlite3';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { buildDataset, type Dataset } from '../dataset.ts';
import type { LoadSettings, Measurement, Scenario } from '../load.ts';
import { createRecorder } from '../recorder.ts';
import { withServer } from '../server-process.ts';
import { ceiling, formatTable, formatTargets, round2, rowJson, withRatios } from '../table.ts';
import type { SuiteOptions } from './options.ts';
import { serverEnv } from './assignment.ts';

const AGENTS = 500;
const WAITING = 10_000;

/** the database as routing finds it: every agent online, the top chats waiting, a policy per run */
function prepare(data: Dataset, waiting: number) {
  const sqlite = new BetterSqlite3(data.path);
  try {
    sqlite.prepare(`update agents set status = 'online' where organization_id = ?`).run(data.orgId);
    // Two ranges of waiting chats: one for POST /route, one for the drain. Open, and in no
    // department, so all 500 agents are candidates (the dataset's departments have no members).
    sqlite
      .prepare(`update chats set status = 'new', closed_at = null, closed_by = null, department_id = null, queued_at = created_at where organization_id = ? and id > ?`)
      .run(data.orgId, data.lastChatId - 2 * waiting);
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    sqlite.close();
  }
}

/** writes the organization's policy directly (the server is told by the drain job, or not at all) */
function setPolicy(data: Dataset, policy: { strategy: string; capacity: number | null }, drain: boolean) {
  const sqlite = new BetterSqlite3(data.path, { timeout: 30_000 }); // waits for the server's write batches
  try {
    const now = Math.floor(Date.now() / 1000);
    sqlite
      .prepare(
        `insert into routing_policies (organization_id, department_id, strategy, capacity, online_only, sticky, reassign_after_minutes, offline_grace_minutes, updated_at)
         values (?, 0, ?, ?, 1, 0, null, 5, ?) on conflict (organization_id, department_id) do update set strategy = excluded.strategy, capacity = excluded.capacity`,
      )
      .run(data.orgId, policy.strategy, policy.capacity, now);
    if (drain) {
      sqlite.prepare(`insert into routing_jobs (organization_id, job_key, kind, due_at, created_at) values (?, ?, 'drain', ?, ?) on conflict (job_key) do nothing`).run(data.orgId, `drain:${data.orgId}`, now, now);
    }
  } finally {
    sqlite.close();
  }
}

const count = (data: Dataset, where: string) => {
  const sqlite = new BetterSqlite3(data.path, { readonly: true });
  try {
    return (sqlite.prepare(`select count(*) as n from chats where organization_id = ? and ${where}`).get(data.orgId) as { n: number }).n;
  } finally {
    sqlite.close();
  }
};

/** the worker drains the waiting chats: decisions per second from its first assignment to the last */
async function measureDrain(data: Dataset, lastId: number, firstId: number): Promise<{ decisions: number; seconds: number; perSec: number }> {
  const inRange = `id between ${firstId} and ${lastId}`;
  const waitingAtStart = count(data, `${inRange} and queued_at is not null`);
  setPolicy(data, { strategy: 'least_busy', capacity: 1_000 }, true);
  let started = 0;
  const deadline = Date.now() + 300_000;
  for (;;) {
    const left = count(data, `${inRange} and queued_at is not null`);
    if (left < waitingAtStart && started === 0) started = performance.now();
    if (left === 0) break;
    if (Date.now() > deadline) throw new Error(`the drain did not finish: ${left} chats still wait`);
    await new Promise((r) => setTimeout(r, 5));
  }
  const seconds = (performance.now() - started) / 1000;
  return { decisions: waitingAtStart, seconds, perSec: waitingAtStart / seconds };
}

export async function routingSuite({ root: ROOT, quick, duration, tmp, profileDir }: SuiteOptions) {
  const RESULTS = join(ROOT, 'bench', 'results', 'routing-latest.json');
  const waiting = quick ? 2_000 : WAITING;
  const size = { agents: AGENTS, customers: 5_000, chats: 4 * waiting };
  const settings: LoadSettings = { connections: 10, pipelining: 1, duration, warmup: 1 };
  const { measured, printProfiles } = createRecorder(settings);

  console.log('\n=== routing suite (issue 13) ===');
  console.log(`${AGENTS} online agents, ${waiting.toLocaleString('en-US')} waiting chats; load: ${settings.connections} connections, ${duration} s per run${quick ? ' (quick)' : ''}`);
  const data = await buildDataset(join(tmp, 'routing.sqlite'), size, (line) => console.log(`  ${line}`));
  prepare(data, waiting);
  const headers = { authorization: `Bearer ${data.apiKey}`, 'content-type': 'application/json' };
  const random = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));
  // chat ids: [first, routeFrom) for manual PUTs, [routeFrom, drainFrom) for POST /route, [drainFrom, last] drained
  const drainFrom = data.lastChatId - waiting + 1;
  const routeFrom = drainFrom - waiting;
  let nextRouted = routeFrom;

  const runs: Measurement[] = [];
  let drain = { decisions: 0, seconds: 0, perSec: 0 };
  await withServer({ name: 'routing', script: join(ROOT, 'src', 'main.ts'), env: serverEnv(data, 'full'), readyPath: '/health/ready', profileDir }, async (url, pid) => {
    const scenario = (name: string, method: Scenario['method'], next: Scenario['next']): Scenario => ({ name, url, pid, method, headers, next });
    const manual = await measured('routing', scenario('PUT assignee (manual)', 'PUT', () => ({
      path: '/v1/chats/assignee', body: JSON.stringify({ id: random(data.firstChatId, routeFrom - 1), assignee: data.agentIds[random(0, AGENTS - 1)] }),
    })));
    runs.push(manual);
    const createChat = () => ({ path: '/v1/chats', body: JSON.stringify({ customer: random(1, size.customers), application: 1 }) });
    runs.push(await measured('routing', scenario('POST /v1/chats, routing off', 'POST', createChat)));

    setPolicy(data, { strategy: 'least_busy', capacity: 1_000 }, false);
    runs.push(await measured('routing', scenario('POST /route (a decision each)', 'POST', () => ({
      path: `/v1/chats/${nextRouted < drainFrom ? nextRouted++ : random(routeFrom, drainFrom - 1)}/route`, body: '{}',
    }))));
    const routed = count(data, `id between ${routeFrom} and ${drainFrom - 1} and assignee_id is not null`);
    if (routed === 0) throw new Error('POST /route assigned no chat: its numbers would measure refusals');
    console.log(`POST /route assigned ${routed.toLocaleString('en-US')} chats; measuring the worker draining the waiting chats...`);
    drain = await measureDrain(data, data.lastChatId, drainFrom);
    runs.push(await measured('routing', scenario('POST /v1/chats, routing on', 'POST', createChat)));
  });

  const rows = withRatios(runs[0], runs);
  const byName = (prefix: string) => rows.find((r) => r.name.startsWith(prefix))!;
  const off = byName('POST /v1/chats, routing off');
  const on = byName('POST /v1/chats, routing on');
  const drainRatio = drain.perSec / runs[0].reqPerSec;
  const targets = [
    { name: 'drain decisions/s / manual PUT req/s', value: drainRatio, op: '>=' as const, bound: 0.5, met: drainRatio >= 0.5 },
    ceiling('p99 POST /v1/chats routing on / off', on.p99 / off.p99, 1.5, !on.flagged && !off.flagged),
  ];
  console.log(`\n${formatTable(rows)}`);
  console.log(`\ndrain: ${drain.decisions.toLocaleString('en-US')} decisions in ${drain.seconds.toFixed(2)} s = ${Math.round(drain.perSec).toLocaleString('en-US')}/s (${drainRatio.toFixed(2)} × manual PUT)`);
  const route = byName('POST /route');
  console.log(
    `decision latency: POST /route p99 ${route.p99.toFixed(2)} ms, ${Math.round(route.serverUsPerReq ?? 0).toLocaleString('en-US')} µs server CPU each ` +
      `(one decision on demand, HTTP included; unlike the drain it reads the ${AGENTS} agents and their loads for every request: information, no target)`,
  );
  console.log('\ntargets:');
  console.log(formatTargets(targets));
  console.log(`(cpus: ${cpus().length}; ratios are within this run only)`);

  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(RESULTS, JSON.stringify({ at: new Date().toISOString(), node: process.version, quick, settings, size, runs: rows.map(rowJson), drain, targets: targets.map((t) => ({ ...t, value: round2(t.value) })) }, null, 2) + '\n');
  console.log(`\nresults written to ${RESULTS}`);
  if (profileDir) printProfiles(profileDir);
}
