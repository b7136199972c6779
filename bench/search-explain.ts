// In-process look at what the server runs for a list or search request: the SQL of each step,
// captured from Kysely as the project's own repository functions build it, SQLite's EXPLAIN
// QUERY PLAN for it, and each query's time alone (the statement prepared once, as the
// server's statement cache does), then the whole use case the route calls. A missed target
// then points at the query to fix instead of at "search is slow".
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, type CompiledQuery } from 'kysely';
import type { DB } from '../src/db/schema.ts';
import { findChats } from '../src/modules/chats/chat-search.service.ts';
import { chatAgents, findChatView } from '../src/modules/chats/chats.repository.ts';
import { parseCaseRequest, type SearchCase } from './search-cases.ts';

export interface StepReport {
  step: string;
  sql: string;
  parameters: readonly unknown[];
  plan: string[];
  medianMs: number;
  maxMs: number;
  runs: number;
}

/** runs `work` for about a second (3 to 30 times); median and max in ms */
async function timed(work: () => unknown): Promise<{ medianMs: number; maxMs: number; runs: number }> {
  const times: number[] = [];
  const until = performance.now() + 1_000;
  while (times.length < 3 || (times.length < 30 && performance.now() < until)) {
    const t = performance.now();
    await work();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const r = (n: number) => Math.round(n * 1000) / 1000;
  return { medianMs: r(times[Math.floor(times.length / 2)]), maxMs: r(times[times.length - 1]), runs: times.length };
}

/** EXPLAIN QUERY PLAN rows as an indented tree, like the sqlite3 shell prints it */
export function queryPlan(sqlite: BetterSqlite3.Database, sql: string, parameters: readonly unknown[]): string[] {
  const rows = sqlite.prepare(`explain query plan ${sql}`).all(...parameters) as Array<{ id: number; parent: number; detail: string }>;
  const depth = new Map<number, number>([[0, 0]]);
  return rows.map((r) => {
    const d = (depth.get(r.parent) ?? 0) + 1;
    depth.set(r.id, d);
    return `${'  '.repeat(d - 1)}${r.detail}`;
  });
}

export async function explainCases(path: string, orgId: number, cases: SearchCase[], print: (line: string) => void) {
  const sqlite = new BetterSqlite3(path, { readonly: true });
  sqlite.pragma('cache_size = -65536'); // the server's page cache (src/db/sqlite.ts)
  let captured: CompiledQuery[] = [];
  const db = new Kysely<DB>({
    dialect: new SqliteDialect({ database: sqlite }),
    log: (e) => {
      if (e.level === 'query') captured.push(e.query);
    },
  });
  const report: Record<string, { request: ReturnType<SearchCase['request']>; steps: StepReport[]; useCaseMs?: number }> = {};
  try {
    for (const c of cases) {
      const req = c.request();
      print(`\n${c.name}: ${c.method} ${req.path}${req.body ? ` ${req.body}` : ''}`);
      let steps: Array<[string, () => Promise<unknown>]>;
      let useCase: (() => Promise<unknown>) | undefined;
      if (c.key === 'v') {
        const id = Number(req.path.split('/').pop());
        steps = [['view', () => findChatView(db, orgId, id)], ['agents', () => chatAgents(db, orgId, id)]];
      } else {
        // Every query the use case runs, in its order (which ones depends on the request: day
        // counts, customer counts, the page form). The totals cache is off here (findChats'
        // default): these are the costs of a request after any write.
        const { filter, sort, page } = parseCaseRequest(c, req);
        useCase = () => findChats(db, orgId, filter, sort, page);
        captured = [];
        await useCase();
        steps = captured.map((q, i) => [`q${i + 1}`, async () => void captured.push(q)]);
      }
      const out: StepReport[] = [];
      for (const [step, run] of steps) {
        captured = [];
        await run();
        const q = captured[0];
        const stmt = sqlite.prepare(q.sql);
        // rows as arrays: the server never has better-sqlite3 build row objects (db/sqlite-direct.ts)
        const time = await timed(() => (stmt.reader ? stmt.raw(true) : stmt).all(...q.parameters));
        const plan = queryPlan(sqlite, q.sql, q.parameters);
        const shown = q.parameters.length > 8 ? [...q.parameters.slice(0, 8), `… ${q.parameters.length} in all`] : q.parameters;
        print(`  ${step.padEnd(6)} ${time.medianMs.toFixed(3).padStart(9)} ms median, ${time.maxMs.toFixed(3)} max (${time.runs} runs)`);
        print(`         ${q.sql.length > 400 ? `${q.sql.slice(0, 400)}…` : q.sql}  -- ${JSON.stringify(shown)}`);
        for (const line of plan) print(`         | ${line}`);
        out.push({ step, sql: q.sql, parameters: shown, plan, ...time });
      }
      report[c.key] = { request: req, steps: out };
      if (useCase) {
        const whole = await timed(useCase);
        print(`  whole use case (findChats through Kysely, totals cache off, presenter included): ${whole.medianMs.toFixed(3)} ms median`);
        report[c.key].useCaseMs = whole.medianMs;
      }
    }
  } finally {
    await db.destroy();
  }
  return report;
}
