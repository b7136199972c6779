// The database work of the assignment suite's requests alone, in-process, with no HTTP: findChat
// (what GET /v1/chats/{id} reads) and assignChat in database.write (what PUT /v1/chats/assignee
// writes, group commit included), each from 50 concurrent callers like the HTTP load. Run as a
// child of the bench so it has a core to itself; prints one JSON line. Its rate is the most the
// server could answer if HTTP cost nothing: a bound on the ratios the HTTP runs can reach.
import { assignChat } from '../src/assignment/assign-chat.ts';
import { openDatabase } from '../src/db/database.ts';
import { systemClock } from '../src/lib/clock.ts';
import { findChat } from '../src/modules/chats/chat-reader.ts';

export interface DbOnlyResult {
  kind: 'get' | 'put';
  perSec: number;
  /** CPU per operation of this process (all its threads), µs */
  cpuUsPerOp: number;
}

const env = (name: string) => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`db-only.ts needs ${name}`);
  return value;
};
const kind = env('BENCH_KIND') as DbOnlyResult['kind'];
const [orgId, firstChatId, lastChatId] = ['BENCH_ORG', 'BENCH_FIRST_CHAT', 'BENCH_LAST_CHAT'].map((n) => Number(env(n)));
const agentIds = env('BENCH_AGENTS').split(',').map(Number);
const seconds = Number(env('BENCH_SECONDS'));
const database = openDatabase(env('DATABASE_URL'), { sqliteSynchronous: env('SQLITE_SYNCHRONOUS') === 'normal' ? 'normal' : 'full' });

const pick = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));
const once = () =>
  kind === 'get'
    ? findChat(database.db, orgId, pick(firstChatId, lastChatId))
    : database.write((trx) =>
        assignChat(trx, systemClock, {
          orgId,
          chatId: pick(firstChatId, lastChatId),
          assigneeId: agentIds[pick(0, agentIds.length - 1)],
          by: { type: 'api_key', id: 0, name: 'bench' },
          source: 'api',
        }),
      );

async function run(ms: number): Promise<DbOnlyResult> {
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
  return { kind, perSec: done / wall, cpuUsPerOp: (used.user + used.system) / done };
}

await run(2_000); // warm-up: JIT, statement and page caches, as the HTTP runs have
console.log(JSON.stringify(await run(seconds * 1_000)));
await database.close();
