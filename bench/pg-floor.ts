// The PostgreSQL suite's floor (issue 17): an assignment's data path alone — assignChat in a
// single-statement write, as PUT /v1/chats/assignee runs it (its two statements, the presenter,
// the event's JSON) — from 50 concurrent callers in one process over the server's pool, with
// no HTTP, authentication, rate limit or live-event fan-out (Redis). Run as a child of the
// bench on the suite's scratch database; the bench samples PostgreSQL's backends around it.
// Prints one JSON line. Its rate is the most one instance could answer if everything but the
// data path cost nothing; its CPU per assignment is what the data path costs.
import { assignChat } from '../src/assignment/assign-chat.ts';
import { openDatabase } from '../src/db/database.ts';
import { systemClock } from '../src/lib/clock.ts';

export interface PgFloorResult {
  perSec: number;
  /** CPU per assignment of this process (all its threads), µs */
  cpuUsPerOp: number;
  /** assignments measured */
  done: number;
}

const env = (name: string) => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`pg-floor.ts needs ${name}`);
  return value;
};
const [orgId, firstChatId, lastChatId, poolSize, seconds] = ['BENCH_ORG', 'BENCH_FIRST_CHAT', 'BENCH_LAST_CHAT', 'DATABASE_POOL_SIZE', 'BENCH_SECONDS'].map((n) => Number(env(n)));
const agentIds = env('BENCH_AGENTS').split(',').map(Number);
const database = openDatabase(env('DATABASE_URL'), { poolSize });

const pick = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));
const once = () =>
  database.write(
    (trx) =>
      assignChat(trx, systemClock, {
        orgId,
        chatId: pick(firstChatId, lastChatId),
        assigneeId: agentIds[pick(0, agentIds.length - 1)],
        by: { type: 'api_key', id: 1, name: 'bench' },
        source: 'api',
      }),
    { singleStatement: true },
  );

async function run(ms: number): Promise<PgFloorResult> {
  const until = Date.now() + ms;
  let done = 0;
  const cpu = process.cpuUsage();
  const from = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (Date.now() < until) {
        await once();
        done++;
      }
    }),
  );
  const wall = Number(process.hrtime.bigint() - from) / 1e9;
  const used = process.cpuUsage(cpu);
  return { perSec: done / wall, cpuUsPerOp: (used.user + used.system) / done, done };
}

await run(1_000); // warm-up: statements prepared on every connection, code optimised
// The bench samples PostgreSQL from this line to the result's.
console.log('measuring');
const result = await run(seconds * 1000);
console.log(JSON.stringify(result));
// The pool's backends stay until the bench has read their CPU (it then closes our stdin).
process.stdin.resume();
await new Promise((resolve) => process.stdin.once('end', resolve));
await database.close();
