// Runs bench/pg-floor.ts (an assignment's data path alone) as a child on the PostgreSQL suite's
// scratch database, sampling the database's backends over exactly its measured window: from
// its "measuring" line to its result line, while its pool's backends still live (it closes
// its pool only when told to).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Dataset } from './dataset.ts';
import type { PgFloorResult } from './pg-floor.ts';
import { pgDelta, type PgObserver, type PgSample } from './pg-stats.ts';

export interface PgFloor extends PgFloorResult {
  /** PostgreSQL CPU per assignment over the measured window, µs (null: not measurable here) */
  pgUsPerOp: number | null;
}

export function pgFloorRun(root: string, data: Dataset, url: string, poolSize: number, seconds: number, observer: PgObserver): Promise<PgFloor> {
  const env = {
    ...process.env, DATABASE_URL: url, DATABASE_POOL_SIZE: String(poolSize), BENCH_SECONDS: String(seconds),
    BENCH_ORG: String(data.orgId), BENCH_FIRST_CHAT: String(data.firstChatId), BENCH_LAST_CHAT: String(data.lastChatId), BENCH_AGENTS: data.agentIds.join(','),
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench', 'pg-floor.ts')], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let before: Promise<PgSample> | undefined;
    let measured: Promise<PgFloor> | undefined;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const lines = out.split('\n');
      if (!before && lines.includes('measuring')) before = observer.sample();
      const result = lines.find((l) => l.startsWith('{'));
      if (before && result && !measured) {
        measured = Promise.all([before, observer.sample()]).then(([b, a]) => {
          child.stdin.end(); // now it may close its pool
          const r = JSON.parse(result) as PgFloorResult;
          const cpu = pgDelta(b, a).cpu;
          return { ...r, pgUsPerOp: cpu === null || r.perSec === 0 ? null : (cpu / r.perSec) * 1e6 };
        });
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0 || !measured) return reject(new Error(`pg-floor.ts exited ${code}\n${err.slice(-2000)}`));
      measured.then(resolve, reject);
    });
  });
}
