// Crash safety of writes (issue 15 item 3): real server processes take assignments and
// messages from concurrent clients over HTTP and are SIGKILLed at random moments, then started
// again on the same database, cycle after cycle. Then every write answered 2xx must be there
// with its history row and outbox event; a write whose answer the kill swallowed may be there
// or not, but whole (test/helpers/crash-ledger.ts judges); on SQLite the file passes
// `PRAGMA integrity_check`. SQLite: one instance, 10 cycles. PostgreSQL: two instances on one
// database, requests spread over both, one or both killed, 5 cycles. CRASH_CYCLES and
// CRASH_SEED (printed) override.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { dirname, join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.ts';
import { systemClock } from '../src/lib/clock.ts';
import { sharedDatabase, TEST_DB, type TestDatabase } from './helpers/app.ts';
import { judge, type SentWrite } from './helpers/crash-ledger.ts';
import { factories } from './helpers/factories.ts';
import { startProcess, type ServerProcess } from './helpers/process.ts';

const POSTGRES = TEST_DB === 'postgres';
const CYCLES = Number(process.env.CRASH_CYCLES || (POSTGRES ? 5 : 10));
const SEED = Number(process.env.CRASH_SEED || Math.floor(Math.random() * 2 ** 31));
const INSTANCES = POSTGRES ? 2 : 1;
// Enough clients that several writes are in flight (and grouped into one SQLite commit) when
// the kill lands; each owns its chats, so a chat's requests are strictly one after another.
const CLIENTS = 8;
const CHATS_PER_CLIENT = 2;
const AGENTS = 3;

/** mulberry32: small, seedable, good enough to pick moments and targets */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Instance {
  server: ServerProcess;
  url: string;
  agent: http.Agent;
  alive: boolean;
}

let shared: TestDatabase | undefined;
const processes: ServerProcess[] = [];
const startMs: number[] = [];

beforeAll(async () => {
  shared = await sharedDatabase('writes');
}, 60_000);

afterAll(async () => {
  // only those still running (a failed assertion can leave some): the others' group ids are free for reuse
  for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) p.stop();
  await Promise.all(processes.map((p) => p.exit()));
  await shared?.drop();
});

async function start(): Promise<Instance> {
  const began = performance.now();
  const server = startProcess('node', ['--import', 'tsx', 'src/main.ts'], {
    DATABASE_URL: shared!.url,
    DATABASE_POOL_SIZE: '4', // two instances and the other test files share PostgreSQL's 100 connections
    HANDOFF_DEMO: '0',
    PORT: '0',
    LOG_LEVEL: 'warn',
  });
  processes.push(server);
  const [, url] = await server.waitFor(/Handoff is running on (http:\/\/[\d.]+:\d+)/);
  startMs.push(performance.now() - began);
  return { server, url, agent: new http.Agent({ keepAlive: true }), alive: true };
}

/** SIGKILL, the whole process group: no shutdown code runs, whatever was in flight is cut */
async function kill(instance: Instance): Promise<void> {
  instance.alive = false;
  const { child } = instance.server;
  // an instance that died by itself before its kill is a crash, not what this test does
  expect(child.exitCode, `an instance exited by itself:\n${instance.server.output()}`).toBeNull();
  process.kill(-child.pid!, 'SIGKILL');
  await instance.server.exit();
  expect(child.signalCode).toBe('SIGKILL');
  instance.agent.destroy();
}

/** one request; rejects when the connection dies before the whole answer arrived */
function call(instance: Instance, method: string, path: string, key: string, body: unknown): Promise<{ status: number; body: any; text: string }> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) };
    const req = http.request(`${instance.url}${path}`, { method, agent: instance.agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('aborted', () => reject(new Error('aborted')));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        resolve({ status: res.statusCode!, body: parsed, text });
      });
    });
    // A live instance answers in milliseconds; a hang is a finding, not a lost answer.
    req.setTimeout(15_000, () => req.destroy(Object.assign(new Error('no answer in 15 s'), { code: 'HANG' })));
    req.on('error', reject);
    req.end(data);
  });
}

it(`SIGKILLed mid-write ${CYCLES} times (${INSTANCES} instance${INSTANCES > 1 ? 's' : ''}): every 2xx write is there whole, lost ones all-or-nothing`, async () => {
  const began = performance.now();
  console.log(`[crash-writes ${TEST_DB}] seed ${SEED} (CRASH_SEED=${SEED} repeats the choices), ${CYCLES} cycles`);
  const rand = random(SEED);
  const f = factories(shared!.database, systemClock);
  const org = await f.org();
  const agents: number[] = [];
  for (let i = 0; i < AGENTS; i++) agents.push((await f.agent(org.id)).id);
  const owned: number[][] = [];
  for (let c = 0; c < CLIENTS; c++) {
    owned.push([]);
    for (let i = 0; i < CHATS_PER_CLIENT; i++) owned[c].push((await f.chat(org.id, { applicationId: org.applicationId })).id);
  }
  // The servers get the database to themselves; it is opened again only after the last kill.
  await shared!.database.close();

  const ledger: SentWrite[] = [];
  const lastTarget = new Map<number, number | null>(); // per chat: the assignee last asked for
  const slots: Array<Instance | null> = Array(INSTANCES).fill(null);
  let seq = 0;

  /** sends one write and records what became of it: 2xx, another answer, or no answer */
  async function send(sent: SentWrite, instance: Instance, method: string, path: string, body: unknown, answered: (body: any) => Partial<SentWrite>) {
    ledger.push(sent);
    try {
      const res = await call(instance, method, path, org.apiKey, body);
      if (res.status >= 200 && res.status < 300) Object.assign(sent, { outcome: 'ok', ...answered(res.body) });
      else Object.assign(sent, { outcome: 'refused', detail: `${res.status} ${res.text}` });
    } catch (err: any) {
      Object.assign(sent, { outcome: err.code === 'HANG' ? 'refused' : 'lost', detail: err.code ?? err.message });
    }
  }

  async function client(c: number, cycle: number, stopped: () => boolean, pick: () => number): Promise<void> {
    while (!stopped()) {
      const live = slots.filter((s): s is Instance => s !== null && s.alive);
      if (live.length === 0) return;
      const instance = live[Math.floor(pick() * live.length)]; // spread over the instances
      const chat = owned[c][Math.floor(pick() * CHATS_PER_CLIENT)];
      if (pick() < 0.5) {
        // agents and unassigned in turn, never asking twice in a row for the same
        const choices = [null, ...agents].filter((a) => a !== (lastTarget.get(chat) ?? null));
        const to = choices[Math.floor(pick() * choices.length)];
        lastTarget.set(chat, to);
        await send({ kind: 'assign', chat, cycle, to, outcome: 'pending' }, instance, 'PUT', '/v1/chats/assignee', { id: chat, assignee: to }, (b) => ({
          answeredAssignee: b?.assignee?.id ?? null,
        }));
      } else {
        // the customer or an agent writes; the text names the request, to find it if its answer was lost
        const agent = pick() < 0.5 ? null : agents[Math.floor(pick() * AGENTS)];
        const text = `crash ${cycle}.${c}.${++seq}`;
        const body = { chat, text, ...(agent === null ? {} : { agent }) };
        await send({ kind: 'message', chat, cycle, text, agent, outcome: 'pending' }, instance, 'POST', '/v1/messages', body, (b) => ({ answeredId: b?.id }));
      }
    }
  }

  const kills: string[] = [];
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    await Promise.all(slots.map(async (s, i) => void (s?.alive || (slots[i] = await start()))));
    let stopped = false;
    const clients = owned.map((_, c) => client(c, cycle, () => stopped, random(SEED + 1 + cycle * CLIENTS + c)));
    // Long enough that the clients are past their first (slow, cold) requests; then any moment.
    await new Promise((r) => setTimeout(r, 150 + rand() * 450));
    const live = slots.filter((s): s is Instance => s !== null && s.alive);
    const last = cycle === CYCLES - 1; // the last cycle kills every instance: the database is judged at rest
    const victims = last || live.length === 1 || rand() < 0.5 ? live : [live[Math.floor(rand() * live.length)]];
    const inFlight = ledger.filter((w) => w.outcome === 'pending').length;
    stopped = true; // the clients send nothing new, and what they have in flight meets the kill
    await Promise.all(victims.map(kill));
    await Promise.all(clients);
    kills.push(`${victims.length}/${live.length} killed, ${inFlight} in flight`);
  }
  const runMs = performance.now() - began;

  if (!POSTGRES) {
    // the file as the last kill left it: opening it recovers the WAL, then the whole check
    const file = new SqliteDatabase(shared!.url.replace(/^sqlite:/, ''));
    const integrity = file.pragma('integrity_check', { simple: true });
    file.close();
    expect(integrity).toBe('ok');
  }
  const database = openDatabase(shared!.url, { poolSize: 2 });
  const verdict = await judge(database, org.id, owned.flat(), ledger).finally(() => database.close());

  const count = (kind: string, outcome: string) => ledger.filter((w) => w.kind === kind && w.outcome === outcome).length;
  const median = [...startMs].sort((a, b) => a - b)[Math.floor(startMs.length / 2)];
  console.log(
    `[crash-writes ${TEST_DB}] seed ${SEED}: ${CYCLES} cycles (${kills.join('; ')}); ` +
      `assignments ${count('assign', 'ok')} 2xx + ${count('assign', 'lost')} lost, messages ${count('message', 'ok')} 2xx + ${count('message', 'lost')} lost; ` +
      `lost ones found committed ${verdict.lostCommitted}, absent ${verdict.lostAbsent}; ` +
      `${startMs.length} starts, median ${median.toFixed(0)} ms, max ${Math.max(...startMs).toFixed(0)} ms; ${(runMs / 1000).toFixed(1)} s in all`,
  );
  if (process.env.CRASH_KEEP) keep(process.env.CRASH_KEEP, ledger, shared!.url);
  expect(verdict.problems).toEqual([]);
  // the kills really cut requests short (else this proved nothing), and work got done between them
  expect(count('assign', 'lost') + count('message', 'lost')).toBeGreaterThan(0);
  expect(count('assign', 'ok')).toBeGreaterThan(0);
  expect(count('message', 'ok')).toBeGreaterThan(0);
}, 180_000);

/** CRASH_KEEP=DIR: the ledger (and on SQLite the database files) kept there, to look into a failure */
function keep(dir: string, ledger: SentWrite[], url: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'ledger.json'), JSON.stringify(ledger, null, 1));
  if (!POSTGRES) cpSync(dirname(url.replace(/^sqlite:/, '')), join(dir, 'database'), { recursive: true });
  console.log(`[crash-writes ${TEST_DB}] ledger${POSTGRES ? '' : ' and database'} kept in ${dir}`);
}
