// The million-chat database of the search benchmark (issue 3), cached under .bench/ by a key
// of the dataset version, its size and the source of the migrations and of the generator:
// regenerating takes half a minute, and a changed schema must never be measured against a
// stale file. The schema is exactly what migrate() creates; only the rows are bulk-written.
import { createHash } from 'node:crypto';
import type { Dataset } from './dataset.ts';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { openDatabase } from '../src/db/database.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { systemClock } from '../src/lib/clock.ts';
import { createAgent } from '../src/modules/agents/agents.service.ts';
import { addDepartmentAgent } from '../src/modules/departments/departments.repository.ts';
import { createDepartment } from '../src/modules/departments/departments.service.ts';
import { createOrganization } from '../src/modules/organizations/organizations.service.ts';
import { insertRows, type Progress } from './search-bulk.ts';

/** bump when the generated rows change meaning (distributions, columns filled) */
export const DATASET_VERSION = 'search-v1';

export interface SearchSize {
  chats: number;
  customers: number;
  agents: number;
  departments: number;
}

/** the assignment bench's Dataset fields, plus the cache key and how the file was made */
export interface SearchDataset extends SearchSize, Dataset {
  key: string;
  /** with generationMs: how the file was made, from its first generation (a reused file keeps these) */
  phases: Record<string, number>;
  fileBytes: number;
  /** status mix, assigned share, email domains: measured on the file when it was generated */
  description: string;
  reused: boolean;
}

const DEPARTMENTS = ['Sales', 'Support', 'Billing', 'Onboarding', 'Enterprise', 'Returns', 'Shipping', 'Partners', 'EMEA', 'APAC'];

function cacheKey(root: string, size: SearchSize): string {
  const hash = createHash('sha256');
  const dir = join(root, 'src', 'db', 'migrations');
  for (const f of readdirSync(dir).sort()) hash.update(f).update(readFileSync(join(dir, f)));
  for (const f of ['search-rows.ts', 'search-bulk.ts', 'search-dataset.ts']) hash.update(readFileSync(join(root, 'bench', f)));
  return `${DATASET_VERSION}-${size.chats}c-${hash.digest('hex').slice(0, 10)}`;
}

/** The cached dataset, generated first when missing or stale (older versions are deleted). */
export async function searchDataset(root: string, size: SearchSize, log: Progress): Promise<SearchDataset> {
  const dir = join(root, '.bench');
  mkdirSync(dir, { recursive: true });
  const key = cacheKey(root, size);
  const path = join(dir, `${key}.sqlite`);
  const metaPath = join(dir, `${key}.json`);
  if (existsSync(path) && existsSync(metaPath)) {
    return { ...(JSON.parse(readFileSync(metaPath, 'utf8')) as SearchDataset), path, reused: true };
  }
  // Files of an older version or schema are useless now (~300 MB each); other sizes stay.
  const hash = key.slice(key.lastIndexOf('-') + 1);
  for (const f of readdirSync(dir)) if (f.startsWith('search-') && !f.includes(hash)) rmSync(join(dir, f), { force: true });
  // Generated under another name and renamed when complete: an interrupted run leaves no
  // half-filled file that a later run would take for the cache.
  const partial = join(dir, `${key}.partial.sqlite`);
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(partial + suffix, { force: true });
  const started = performance.now();
  const org = await createOrgAndTeam(partial, size);
  log.done(`organization ${org.orgId}: ${org.agentIds.length} agents in ${size.departments} departments (through the services)`);
  const { firstChatId, lastChatId, phases } = await insertRows(partial, { ...size, ...org }, log);
  const generationMs = performance.now() - started;
  renameSync(partial, path);
  const data: SearchDataset = {
    ...size, path, key, apiKey: org.apiKey, orgId: org.orgId, agentIds: org.agentIds,
    firstChatId, lastChatId, generationMs, phases, fileBytes: statSync(path).size, description: describeDataset(path), reused: false,
  };
  writeFileSync(metaPath, JSON.stringify(data, null, 2) + '\n');
  return data;
}

/**
 * The same file after `ANALYZE`, cached beside it. The server never runs ANALYZE, so the plain
 * file is what a deployment gets; this copy shows what statistics would change.
 */
export function analyzedCopy(data: SearchDataset, log: Progress): { path: string; analyzeMs: number | null } {
  const path = data.path.replace(/\.sqlite$/, '.analyzed.sqlite');
  if (existsSync(path)) return { path, analyzeMs: null };
  const partial = `${path}.partial`;
  // A server run may have left pages in the WAL: fold them in so the copy is complete.
  const source = new BetterSqlite3(data.path);
  source.pragma('wal_checkpoint(TRUNCATE)');
  source.close();
  copyFileSync(data.path, partial);
  const sqlite = new BetterSqlite3(partial);
  try {
    const t = performance.now();
    sqlite.exec('ANALYZE');
    const analyzeMs = performance.now() - t;
    log.done(`ANALYZE took ${(analyzeMs / 1000).toFixed(1)} s`);
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    sqlite.close();
    renameSync(partial, path);
    return { path, analyzeMs };
  } finally {
    if (sqlite.open) sqlite.close();
  }
}

/** organization, application, API key, departments and agents, written by the project's own services */
async function createOrgAndTeam(path: string, size: SearchSize) {
  const database = openDatabase(`sqlite:${path}`, { sqliteSynchronous: 'normal' });
  try {
    await migrateDatabase(database);
    // The org's own limit wins over the server default (API.md §1): high enough never to trip.
    const org = await createOrganization(database, systemClock, { name: 'Search Bench', rateLimitPerMinute: 1_000_000_000 });
    const departmentIds: number[] = [];
    for (let i = 0; i < size.departments; i++) {
      departmentIds.push((await createDepartment(database, systemClock, { orgId: org.id, name: DEPARTMENTS[i % DEPARTMENTS.length] })).id);
    }
    const agentIds: number[] = [];
    /** each agent's first department: where the chats assigned to them usually belong */
    const agentDepartment: number[] = [];
    for (let i = 0; i < size.agents; i++) {
      const departmentId = departmentIds[i % departmentIds.length];
      const role = i === 0 ? 'admin' : i % 25 === 0 ? 'superviser' : 'agent';
      const agent = await createAgent(database, systemClock, { orgId: org.id, name: `Agent ${i + 1}`, email: `agent${i + 1}@bench.handoff.local`, role, departmentId });
      // about a third of the team also covers a second department
      if (i % 3 === 0) await database.write((trx) => addDepartmentAgent(trx, org.id, departmentIds[(i + 3) % departmentIds.length], agent.id));
      agentIds.push(agent.id);
      agentDepartment.push(departmentId);
    }
    return { orgId: org.id, apiKey: org.apiKey, applicationId: org.applicationId, agentIds, agentDepartment, departmentIds };
  } finally {
    await database.close();
  }
}

/** one line of what the rows look like, so a reader can judge the dataset's realism */
export function describeDataset(path: string): string {
  const sqlite = new BetterSqlite3(path, { readonly: true });
  try {
    const one = <T>(sql: string) => sqlite.prepare(sql).get() as T;
    const statuses = sqlite.prepare('select status, count(*) as n from chats group by status order by n desc').all() as Array<{ status: string; n: number }>;
    const total = statuses.reduce((s, r) => s + r.n, 0);
    const pct = (n: number, of = total) => `${((100 * n) / of).toFixed(1)}%`;
    const assigned = one<{ n: number }>('select count(*) as n from chats where assignee_id is not null').n;
    const customers = one<{ n: number; gmail: number; tagged: number }>(
      `select count(*) as n, sum(email like '%@gmail.com') as gmail, (select count(distinct customer_id) from customer_tags) as tagged from customers`,
    );
    const span = one<{ days: number; ascending: number }>(
      'select (max(created_at) - min(created_at)) / 86400 as days, (select count(*) from (select created_at < lag(created_at) over (order by id) as down from chats) where down) = 0 as ascending from chats',
    );
    return [
      `status: ${statuses.map((r) => `${r.status} ${pct(r.n)}`).join(', ')}`,
      `assigned ${pct(assigned)}; createdAt over ${span.days} days, ${span.ascending ? 'ascending with id' : 'NOT ascending with id'}`,
      `customers: ${pct(customers.gmail, customers.n)} at gmail.com, ${pct(customers.tagged, customers.n)} tagged`,
    ].join('\n  ');
  } finally {
    sqlite.close();
  }
}
