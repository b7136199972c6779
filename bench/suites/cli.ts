// The CLI suite (issue 18): how long one operator command takes, from the shell prompt back to
// it, on a scratch SQLite database. Each command runs several times in turn; the median counts.
//   node          `node -e ""`: Node's own start, the floor (the reference of the ratios)
//   npx floor     `npx npx-floor`: a scratch project whose bin is empty, with the same node_modules:
//                 what npx itself costs before a command of ours runs (npm 11 installs the
//                 project into its npx cache and reads its tree on every call)
//   tsx (before)  `node --import tsx src/cli.ts …`: the launcher before dist/ (compiles at every start)
//   dist          `node dist/cli.js …`: the compiled CLI alone
//   bin           `node bin/handoff.js …`: the launcher (dist/ freshness check, then dist/cli.js)
//   npx handoff   `npx handoff …`: what the README tells the operator to type; the target, <= 0.6 s
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { buildServer } from '../../scripts/build-server.mjs';
import { formatColumns, formatTargets, type Target } from '../table.ts';
import type { SuiteOptions } from './options.ts';

const TARGET_SECONDS = 0.6;
const COMMAND = ['org', 'show', '--org', '1', '--json'];

interface Timing {
  name: string;
  argv: string[];
  cwd: string;
  /** wall-clock seconds of each run, in run order */
  runs: number[];
  median: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function timeOnce(argv: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  const started = process.hrtime.bigint();
  return new Promise((done, fail) =>
    execFile(argv[0], argv.slice(1), { cwd, env }, (err, _stdout, stderr) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (err) fail(new Error(`${argv.join(' ')} failed: ${stderr || err.message}`));
      else done(seconds);
    }),
  );
}

export async function cliSuite({ root: ROOT, quick, tmp }: SuiteOptions) {
  const rounds = quick ? 5 : 15;
  console.log('\n=== cli suite (issue 18) ===');
  console.log(`\`${['npx handoff', ...COMMAND].join(' ')}\` and its parts, ${rounds} runs each (interleaved), median wall-clock${quick ? ' (quick)' : ''}`);
  await buildServer({ log: (line: string) => console.log(`  ${line}`) });
  // npx's cache in the bench's temporary directory: nothing is left in ~/.npm/_npx.
  const env = { ...process.env, DATABASE_URL: `sqlite:${join(tmp, 'cli.sqlite')}`, HANDOFF_DEMO: '0', npm_config_cache: join(tmp, 'npm-cache') };
  await timeOnce([process.execPath, 'dist/cli.js', 'org', 'create', '--name', 'Bench', '--json'], ROOT, env);
  const floor = join(tmp, 'npx-floor');
  mkdirSync(join(floor, 'bin'), { recursive: true });
  writeFileSync(join(floor, 'package.json'), JSON.stringify({ name: 'npx-floor', version: '1.0.0', type: 'module', bin: { 'npx-floor': 'bin/empty.js' } }));
  writeFileSync(join(floor, 'bin', 'empty.js'), '#!/usr/bin/env node\n');
  chmodSync(join(floor, 'bin', 'empty.js'), 0o755);
  symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(floor, 'node_modules'), 'dir');

  const timings: Timing[] = [
    { name: 'node', argv: [process.execPath, '-e', ''], cwd: ROOT },
    { name: 'npx floor', argv: ['npx', 'npx-floor'], cwd: floor },
    { name: 'tsx (before)', argv: [process.execPath, '--import', 'tsx', 'src/cli.ts', ...COMMAND], cwd: ROOT },
    { name: 'dist', argv: [process.execPath, 'dist/cli.js', ...COMMAND], cwd: ROOT },
    { name: 'bin', argv: [process.execPath, 'bin/handoff.js', ...COMMAND], cwd: ROOT },
    { name: 'npx handoff', argv: ['npx', 'handoff', ...COMMAND], cwd: ROOT },
  ].map((t) => ({ ...t, runs: [], median: 0 }));
  // One warm-up of each (the page cache, npx's cache), then rounds of all in turn, so a burst
  // of other load on the machine falls on every command alike rather than on one.
  for (const t of timings) await timeOnce(t.argv, t.cwd, env);
  for (let round = 0; round < rounds; round++) {
    for (const t of timings) t.runs.push(await timeOnce(t.argv, t.cwd, env));
  }
  for (const t of timings) t.median = median(t.runs);
  // Start-up times move with whatever else the machine runs: the load says how far to trust them.
  const load = loadavg().map((l) => Math.round(l * 100) / 100);
  console.log(`  load average at the end: ${load.join(', ')} (1, 5, 15 min)`);

  const nodeStart = timings[0].median;
  const head = ['name', 'median s', 'min s', 'max s', 'ratio to node', 'command'];
  const body = timings.map((t) => [t.name, t.median.toFixed(3), Math.min(...t.runs).toFixed(3), Math.max(...t.runs).toFixed(3), (t.median / nodeStart).toFixed(1), t.argv.join(' ').replace(process.execPath, 'node')]);
  console.log(formatColumns(head, body, '  '));
  const at = (name: string) => timings.find((t) => t.name === name)!.median;
  console.log(`  of npx handoff's ${at('npx handoff').toFixed(3)} s, npx itself takes ${at('npx floor').toFixed(3)} s (with Node's start for the empty bin); the launcher and the CLI ${at('bin').toFixed(3)} s run alone`);
  const targets: Target[] = [{ name: `npx handoff ${COMMAND.join(' ')} (s)`, value: at('npx handoff'), op: '<=', bound: TARGET_SECONDS, met: at('npx handoff') <= TARGET_SECONDS }];
  console.log(`\nTargets (issue 18):\n${formatTargets(targets)}`);

  const RESULTS = join(ROOT, 'bench', 'results', 'cli-latest.json');
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  const runs = timings.map((t) => ({ name: t.name, median: Math.round(t.median * 1000) / 1000, runs: t.runs.map((r) => Math.round(r * 1000) / 1000) }));
  writeFileSync(RESULTS, JSON.stringify({ at: new Date().toISOString(), node: process.version, quick, rounds, loadAverage: load, runs, targets: targets.map((t) => ({ ...t, value: Math.round(t.value * 1000) / 1000 })) }, null, 2) + '\n');
  console.log(`\nresults written to ${RESULTS}`);
}
