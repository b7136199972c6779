// The soak's organizations, each with its own agents, customers and chats and its own rate
// limit, written by the benchmark's dataset generators (dataset.ts on SQLite, pg-dataset.ts on
// PostgreSQL), one organization after another into the same database.
import { join } from 'node:path';
import { buildDataset, type Dataset, type DatasetSize } from './dataset.ts';
import { buildPgDataset, createScratchDatabase, type ScratchDatabase } from './pg-dataset.ts';
import { progress } from './progress.ts';
import { PROFILES } from './soak-mix.ts';

export interface SoakOrg {
  data: Dataset & { departmentIds: number[] };
  name: string;
  profile: (typeof PROFILES)[number];
}

export interface SoakDatabase {
  /** the server's DATABASE_URL */
  url: string;
  kind: 'sqlite' | 'postgres';
  orgs: SoakOrg[];
  seedMs: number;
  /** PostgreSQL: the scratch database, dropped when the soak ends */
  scratch?: ScratchDatabase;
}

export interface SeedOptions {
  orgs: number;
  size: DatasetSize;
  rateLimitPerMinute: number;
  /** PostgreSQL server to make a scratch database on; SQLite in `tmp` when absent */
  postgresUrl?: string;
  tmp: string;
}

export async function seed(o: SeedOptions): Promise<SoakDatabase> {
  const started = performance.now();
  const p = progress();
  // A database of its own rather than a schema: a server process cannot be pointed at a schema
  // (DATABASE_URL names a database; test/helpers/app.ts's sharedDatabase does the same).
  const scratch = o.postgresUrl ? await createScratchDatabase(o.postgresUrl) : undefined;
  const path = join(o.tmp, 'soak.sqlite');
  const url = scratch ? scratch.url : `sqlite:${path}`;
  try {
    const orgs: SoakOrg[] = [];
    for (let i = 0; i < o.orgs; i++) {
      const profile = PROFILES[i % PROFILES.length];
      const name = `Soak ${i + 1} (${profile.name})`;
      const step = (line: string) => p.step(`${name}: ${line}`);
      const spec = { name, rateLimitPerMinute: o.rateLimitPerMinute };
      const data = scratch ? await buildPgDataset(scratch.url, o.size, step, spec) : await buildDataset(path, o.size, step, spec);
      if (!data.departmentIds) throw new Error('the dataset generator returned no departments');
      p.done(`${name}: organization ${data.orgId}, ${data.agentIds.length} agents, ${o.size.customers.toLocaleString('en-US')} customers, ` +
        `${o.size.chats.toLocaleString('en-US')} chats (${((performance.now() - started) / 1000).toFixed(1)} s so far)`);
      orgs.push({ data: { ...data, departmentIds: data.departmentIds }, name, profile });
    }
    return { url, kind: scratch ? 'postgres' : 'sqlite', orgs, seedMs: performance.now() - started, scratch };
  } catch (err) {
    await scratch?.drop();
    throw err;
  }
}
