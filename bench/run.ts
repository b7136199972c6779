// `npm run bench [-- --suite assignment|search|webhooks|routing|cli|all] [--quick] [--duration N] [--chats N]`
//   assignment (default): issue 2's PUT /v1/chats/assignee against a node:http baseline
//   search: issue 3's chat lists and searches on a cached 1,000,000-chat database
//   webhooks: issue 6's delivery worker draining 10,000 queued events, and PUT assignee meanwhile
//   routing: issue 13's routing decisions (500 agents, 10,000 waiting chats) against manual PUT assignee
//   cli: issue 18's `npx handoff org show --org 1 --json`, median wall-clock against Node's own start
// `npm run bench -- --db postgres [--quick] [--duration N]`: issue 5's PUT /v1/chats/assignee on
//   PostgreSQL, one and two instances, against SQLite in the same run (BENCH_DATABASE_URL, default
//   postgres://postgres@127.0.0.1:5432/test, gets a scratch database; BENCH_REDIS_URL, default
//   redis://127.0.0.1:6379)
// Every suite prints ratios to a reference measured in the same run (DESIGN rule 12).
// BENCH_PROFILE=1 also CPU-profiles the server children and summarises each measured run.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { profileDirFor } from './server-process.ts';
import { assignmentSuite } from './suites/assignment.ts';
import { cliSuite } from './suites/cli.ts';
import { postgresSuite } from './suites/postgres.ts';
import type { SuiteOptions } from './suites/options.ts';
import { routingSuite } from './suites/routing.ts';
import { searchSuite } from './suites/search.ts';
import { webhooksSuite } from './suites/webhooks.ts';

const SUITES: Record<string, (opts: SuiteOptions) => Promise<void>> = { assignment: assignmentSuite, search: searchSuite, webhooks: webhooksSuite, routing: routingSuite, cli: cliSuite };
const ROOT = fileURLToPath(new URL('..', import.meta.url));

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const { values: args } = parseArgs({
  options: {
    suite: { type: 'string' },
    db: { type: 'string', default: 'sqlite' },
    quick: { type: 'boolean', default: false },
    duration: { type: 'string' },
    chats: { type: 'string' },
  },
});
const quick = args.quick === true;
const duration = args.duration !== undefined ? Number(args.duration) : quick ? 3 : 10;
if (!Number.isInteger(duration) || duration < 1 || duration > 600) fail(`--duration ${args.duration}: expected whole seconds from 1 to 600`);
const chats = args.chats !== undefined ? Number(args.chats) : undefined;
if (chats !== undefined && (!Number.isInteger(chats) || chats < 1_000 || chats > 10_000_000 || chats % 10 !== 0)) {
  fail(`--chats ${args.chats}: expected a multiple of 10 from 1,000 to 10,000,000`);
}
if (args.db !== 'sqlite' && args.db !== 'postgres') fail(`--db ${args.db}: expected sqlite or postgres`);
// PostgreSQL is measured by its own suite (it needs a server, so it is not part of "all").
if (args.db === 'postgres' && args.suite !== undefined) fail('--db postgres runs its own suite; leave out --suite');
const suite = args.suite ?? 'assignment';
const suites = args.db === 'postgres' ? ['postgres'] : suite === 'all' ? Object.keys(SUITES) : [suite];
const run: Record<string, (opts: SuiteOptions) => Promise<void>> = { ...SUITES, postgres: postgresSuite };
for (const s of suites) if (!Object.hasOwn(run, s)) fail(`--suite ${s}: expected ${Object.keys(SUITES).join(', ')} or all`);

// Temp files go even when the bench is interrupted; children are killed by server-process.ts.
const tmp = mkdtempSync(join(tmpdir(), 'handoff-bench-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

async function main() {
  console.log(`Handoff bench: node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}); suites: ${suites.join(', ')}`);
  const opts: SuiteOptions = { root: ROOT, quick, duration, tmp, profileDir: profileDirFor(ROOT), chats };
  for (const s of suites) await run[s](opts);
}

main().then(
  () => process.exit(0), // a missed target is a measurement, not a failure
  (err) => {
    console.error(`bench failed: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  },
);
