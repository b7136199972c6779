// The webhooks suite (issue 6): the delivery worker draining 10,000 queued events to a local
// receiver (a child process on loopback), and what delivery costs the API meanwhile.
//   W0  PUT /v1/chats/assignee, no subscription, no worker running    (what webhooks may cost the API)
//   R0  PUT /v1/chats/assignee, no subscription, worker running       (the reference)
//   R1  10,000 queued events drained with the API idle               → events/s
//   R2  PUT /v1/chats/assignee while another 10,000 queued drain     → req/s and p99 vs R0
// Events are queued by real PUTs against a server with WEBHOOK_WORKER=0, so they are exactly
// what production writes; each R runs on a fresh server process over the same SQLite file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/database.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { createGuard } from '../../src/modules/webhooks/guard.ts';
import { createWebhookBody } from '../../src/modules/webhooks/webhooks.schema.ts';
import { createWebhook } from '../../src/modules/webhooks/webhooks.service.ts';
import { buildDataset, type Dataset } from '../dataset.ts';
import type { LoadSettings, Scenario } from '../load.ts';
import { createRecorder } from '../recorder.ts';
import { startServer, withServer } from '../server-process.ts';
import { formatTable, round2, rowJson, withRatios } from '../table.ts';
import type { SuiteOptions } from './options.ts';

const random = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));
interface Stats {
  requests: number;
  backlogTotal: number;
  backlogReceived: number;
  duplicates: number;
  /** when the first and the last event of the backlog arrived (ms): the drain's span */
  firstBacklogAt: number | null;
  lastBacklogAt: number | null;
}

export async function webhooksSuite({ root: ROOT, quick, duration, tmp, profileDir }: SuiteOptions) {
  const QUEUED = quick ? 2_000 : 10_000;
  const size = { agents: 50, customers: quick ? 2_000 : 5_000, chats: quick ? 10_000 : 20_000 };
  const settings: LoadSettings = { connections: 50, pipelining: 1, duration, warmup: 0 };
  const { measured, printProfiles } = createRecorder(settings);
  const mainScript = join(ROOT, 'src', 'main.ts');
  console.log('\n=== webhooks suite (issue 6) ===');
  console.log(`${QUEUED.toLocaleString('en-US')} queued events per drain; PUT load: ${settings.connections} connections, ${duration} s per run${quick ? ' (quick)' : ''}`);
  const data = await buildDataset(join(tmp, 'webhooks.sqlite'), size, (line) => console.log(`  ${line}`));
  const env = (worker: boolean) => ({
    DATABASE_URL: `sqlite:${data.path}`, HANDOFF_DEMO: '0', LOG_LEVEL: 'warn', WEBHOOK_WORKER: worker ? '1' : '0', WEBHOOK_ALLOW_PRIVATE: '1', // the receiver is on loopback
  });
  const headers = { authorization: `Bearer ${data.apiKey}`, 'content-type': 'application/json' };
  const put = (url: string, pid: number, name: string): Scenario => ({ name, url, pid, method: 'PUT', headers, next: () => ({ path: '/v1/chats/assignee', body: assignBody(data) }) });

  const receiver = await startServer({ name: 'receiver', script: join(ROOT, 'bench', 'webhook-receiver.ts'), env: {}, readyPath: '/stats' });
  const stats = async (): Promise<Stats> => (await fetch(`${receiver.url}/stats`)).json() as Promise<Stats>;
  try {
    // W0: no worker at all: an organization without subscriptions should pay nothing for webhooks,
    // so R0 / W0 is the cost of the worker's bookkeeping on the write path.
    const w0 = await withServer({ name: 'w0', script: mainScript, env: env(false), readyPath: '/health/ready', profileDir }, async (url, pid) => {
      await warmUp(url, headers, data);
      return measured('w0', put(url, pid, 'PUT assignee, no webhooks, no worker'));
    });
    // R0: the reference, before any subscription exists (the worker runs but has nothing to send).
    const r0 = await withServer({ name: 'r0', script: mainScript, env: env(true), readyPath: '/health/ready', profileDir }, async (url, pid) => {
      await warmUp(url, headers, data);
      return measured('r0', put(url, pid, 'PUT assignee, no webhooks'));
    });

    const database = openDatabase(`sqlite:${data.path}`);
    await createWebhook(database, systemClock, createGuard({ allowPrivate: true }), data.orgId, createWebhookBody.parse({ url: `${receiver.url}/hook`, events: '*' }));
    await database.close();

    // R1: drain alone.
    await queueEvents(QUEUED, env(false), mainScript, data, headers, receiver.url);
    const r1 = await withServer({ name: 'r1', script: mainScript, env: env(true), readyPath: '/health/ready' }, async () => {
      const done = await waitForBacklog(stats, 120_000);
      return { seconds: (done.lastBacklogAt! - done.firstBacklogAt!) / 1000, duplicates: done.duplicates };
    });
    const idleRate = QUEUED / r1.seconds;
    console.log(`drained ${QUEUED.toLocaleString('en-US')} in ${r1.seconds.toFixed(2)} s with the API idle: ${Math.round(idleRate).toLocaleString('en-US')} events/s`);

    // R2: the same drain under PUT load (whose own events are delivered too).
    await queueEvents(QUEUED, env(false), mainScript, data, headers, receiver.url);
    const r2 = await withServer({ name: 'r2', script: mainScript, env: env(true), readyPath: '/health/ready', profileDir }, async (url, pid) => {
      await warmUp(url, headers, data);
      const m = await measured('r2', put(url, pid, 'PUT assignee, while delivering'));
      const s = await waitForBacklog(stats, 120_000);
      return { m, seconds: (s.lastBacklogAt! - s.firstBacklogAt!) / 1000 };
    });
    const busyRate = QUEUED / r2.seconds;
    console.log(`drained ${QUEUED.toLocaleString('en-US')} in ${r2.seconds.toFixed(2)} s under PUT load: ${Math.round(busyRate).toLocaleString('en-US')} events/s`);

    const rows = withRatios(r0, [w0, r0, r2.m]);
    const final = await stats();
    const ratios = {
      'PUT req/s without webhooks, worker running / no worker': r0.reqPerSec / w0.reqPerSec,
      'PUT p99 while delivering / without webhooks': r2.m.p99 / r0.p99,
      'PUT req/s while delivering / without webhooks': r2.m.reqPerSec / r0.reqPerSec,
      'delivery events/s (API idle) / PUT req/s without webhooks': idleRate / r0.reqPerSec,
      'delivery events/s (under PUT load) / (API idle)': busyRate / idleRate,
    };
    console.log(`\n${formatTable(rows)}\n`);
    for (const [name, value] of Object.entries(ratios)) console.log(`  ${name}: ${value.toFixed(2)}`);
    console.log(`  added PUT p99: ${(r2.m.p99 - r0.p99).toFixed(2)} ms; receiver saw ${final.requests.toLocaleString('en-US')} deliveries, ${final.duplicates} duplicates`);
    if (rows.some((r) => r.flagged)) console.log('\nWARNING: some runs had non-2xx answers or errors; their numbers are not comparable.');

    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    const file = join(ROOT, 'bench', 'results', 'webhooks-latest.json');
    const report = {
      at: new Date().toISOString(), node: process.version, cpus: cpus().length, quick, settings, dataset: size, queued: QUEUED,
      runs: rows.map(rowJson),
      drain: { idleSeconds: round2(r1.seconds), idleEventsPerSec: Math.round(idleRate), underLoadSeconds: round2(r2.seconds), underLoadEventsPerSec: Math.round(busyRate) },
      ratios: Object.fromEntries(Object.entries(ratios).map(([k, v]) => [k, round2(v)])),
      deliveries: final.requests, duplicates: final.duplicates,
    };
    writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
    console.log(`\nresults written to ${file}`);
    if (profileDir) printProfiles(profileDir);
  } finally {
    await receiver.stop();
  }
}

/** one second of reads so both measured servers start equally warm (a read writes no event) */
async function warmUp(url: string, headers: Record<string, string>, data: Dataset) {
  const until = Date.now() + 1_000;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (Date.now() < until) await (await fetch(`${url}/v1/chats/${random(data.firstChatId, data.lastChatId)}`, { headers })).arrayBuffer();
    }),
  );
}

/** `count` new events through real PUTs on a server without a worker; the receiver is told their ids */
async function queueEvents(count: number, env: Record<string, string>, script: string, data: Dataset, headers: Record<string, string>, receiverUrl: string) {
  const database = openDatabase(`sqlite:${data.path}`);
  const last = async () => Number((await database.db.selectFrom('outbox').select((eb) => eb.fn.max('id').as('m')).executeTakeFirstOrThrow()).m ?? 0);
  const from = await last();
  await withServer({ name: 'queue', script, env, readyPath: '/health/ready' }, async (url) => {
    // A PUT that names the current assignee writes no event: top up until there are enough.
    while ((await last()) - from < count) {
      const missing = count - ((await last()) - from);
      let next = 0;
      await Promise.all(
        Array.from({ length: 32 }, async () => {
          while (next++ < missing) {
            const res = await fetch(`${url}/v1/chats/assignee`, { method: 'PUT', headers, body: assignBody(data) });
            if (res.status !== 200) throw new Error(`PUT assignee answered ${res.status}: ${await res.text()}`);
          }
        }),
      );
    }
  });
  const ids = (await database.db.selectFrom('outbox').select('event_id').where('id', '>', from).orderBy('id').execute()).map((r) => r.event_id);
  await database.close();
  const res = await fetch(`${receiverUrl}/backlog`, { method: 'POST', body: JSON.stringify(ids) });
  if (res.status !== 204) throw new Error(`receiver refused the backlog: ${res.status}`);
  console.log(`queued ${ids.length.toLocaleString('en-US')} events`);
}

/** a random chat to a random agent (as the assignment suite loads it) */
const assignBody = (data: Dataset) => JSON.stringify({ id: random(data.firstChatId, data.lastChatId), assignee: data.agentIds[random(0, data.agentIds.length - 1)] });

async function waitForBacklog(stats: () => Promise<Stats>, timeoutMs: number): Promise<Stats> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await stats();
    if (s.backlogReceived >= s.backlogTotal && s.lastBacklogAt !== null) return s;
    if (Date.now() > deadline) throw new Error(`only ${s.backlogReceived} of ${s.backlogTotal} queued events arrived in ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
