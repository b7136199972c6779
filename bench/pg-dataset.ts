// The assignment suite's dataset in PostgreSQL, for `npm run bench -- --db postgres`: a
// scratch database of this run (never the one given, which other sessions' tests use), the
// organization and agents through the project's services, then the same customer and chat
// rows as dataset.ts writes to SQLite, in multi-row INSERTs inside batched transactions.
// The scratch database is dropped when the bench ends, however it ends.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { CHAT_COLUMNS, CUSTOMER_COLUMNS, chatRow, createOrgAndAgents, customerRow, type ChatOwners, type Dataset, type DatasetOrg, type DatasetSize } from './dataset.ts';

const PREFIX = 'handoff_bench_';
/** where `require('pg')` resolves for the exit-time drop */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** rows per INSERT: 15 chat columns × 1,000 = 15,000 parameters, well under PostgreSQL's 65,535 */
const ROWS_PER_STATEMENT = 1_000;
/** rows per transaction: one commit (one WAL flush) per 10,000 rows */
const ROWS_PER_TRANSACTION = 10_000;

export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** `adminUrl` with another database name */
export function withDatabase(adminUrl: string, name: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function adminQuery(adminUrl: string, text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Creates this run's database. A scratch database left by a bench that was SIGKILLed (its
 * pid, in the name, no longer runs) is dropped first; another running bench's is left alone.
 */
export async function createScratchDatabase(adminUrl: string): Promise<ScratchDatabase> {
  const { rows } = await adminQuery(adminUrl, `select datname from pg_database where datname like '${PREFIX}%'`);
  for (const { datname } of rows as Array<{ datname: string }>) {
    const pid = Number(/^handoff_bench_(\d+)_/.exec(datname)?.[1]);
    if (pid && !alive(pid)) await adminQuery(adminUrl, `drop database if exists ${datname} with (force)`);
  }
  const name = `${PREFIX}${process.pid}_${Date.now().toString(36)}`;
  await adminQuery(adminUrl, `create database ${name}`);
  // process.exit() (Ctrl-C, a failure) skips `finally` blocks and runs only synchronous exit
  // handlers: a child process drops the database then. server-process.ts's handler, registered
  // earlier, has already killed the servers; `with (force)` ends any connection left.
  const dropOnExit = () => {
    spawnSync(process.execPath, ['-e', DROP_SCRIPT], {
      cwd: ROOT, env: { ...process.env, BENCH_ADMIN_URL: adminUrl, BENCH_DROP: name }, timeout: 15_000, stdio: 'ignore',
    });
  };
  process.on('exit', dropOnExit);
  return {
    name,
    url: withDatabase(adminUrl, name),
    async drop() {
      await adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
      process.off('exit', dropOnExit);
    },
  };
}

const DROP_SCRIPT = `const { Client } = require('pg');
const c = new Client({ connectionString: process.env.BENCH_ADMIN_URL, connectionTimeoutMillis: 5000 });
c.connect().then(() => c.query('drop database if exists ' + process.env.BENCH_DROP + ' with (force)')).catch(() => {}).finally(() => c.end());`;

/** Adds one organization to the database at `url` (migrated first): organization, agents, customers, chats. */
export async function buildPgDataset(url: string, size: DatasetSize, progress: (line: string) => void, orgSpec?: DatasetOrg): Promise<Dataset> {
  const started = performance.now();
  const { org, agentIds, departmentIds } = await createOrgAndAgents(url, size.agents, orgSpec);
  progress(`organization ${org.id}, ${agentIds.length} agents`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Generation only: a crash just means running the bench again, so commits need not wait
    // for their WAL flush (this session only; the server's setting is untouched).
    await client.query('set synchronous_commit = off');
    const now = Math.floor(Date.now() / 1000);
    await insertAll(client, 'customers', CUSTOMER_COLUMNS, size.customers, (i) => customerRow(org.id, i, now), progress);
    const firstCustomerId = Number((await client.query('select min(id) as id from customers where organization_id = $1', [org.id])).rows[0].id);
    const owners: ChatOwners = { org, departmentIds, firstCustomerId, customers: size.customers };
    await insertAll(client, 'chats', CHAT_COLUMNS, size.chats, (i) => chatRow(owners, i, now), progress);
    // A deployment's autovacuum would have analysed and vacuumed these tables long ago; here it
    // would do so in the middle of a measured run, so it is done now, before any.
    const t = performance.now();
    await client.query('vacuum (analyze) customers, chats, agents, assignments, outbox');
    progress(`vacuum analyze ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const ids = (await client.query('select min(id) as first, max(id) as last from chats where organization_id = $1', [org.id])).rows[0] as { first: string; last: string };
    return {
      path: url,
      apiKey: org.apiKey,
      orgId: org.id,
      agentIds,
      firstChatId: Number(ids.first),
      lastChatId: Number(ids.last),
      generationMs: performance.now() - started,
      departmentIds,
    };
  } finally {
    await client.end();
  }
}

async function insertAll(
  client: pg.Client, table: string, columns: readonly string[], total: number, row: (i: number) => unknown[], progress: (line: string) => void,
) {
  const t = performance.now();
  for (let start = 0; start < total; start += ROWS_PER_TRANSACTION) {
    const end = Math.min(total, start + ROWS_PER_TRANSACTION);
    await client.query('begin');
    try {
      for (let from = start; from < end; from += ROWS_PER_STATEMENT) {
        const to = Math.min(end, from + ROWS_PER_STATEMENT);
        const values: unknown[] = [];
        const tuples: string[] = [];
        for (let i = from; i < to; i++) {
          const base = values.length;
          values.push(...row(i));
          tuples.push(`(${columns.map((_, c) => `$${base + c + 1}`).join(', ')})`);
        }
        await client.query(`insert into ${table} (${columns.join(', ')}) values ${tuples.join(', ')}`, values);
      }
      await client.query('commit');
    } catch (err) {
      await client.query('rollback').catch(() => {});
      throw err;
    }
    progress(`${table} ${end.toLocaleString('en-US')}/${total.toLocaleString('en-US')} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  }
}
