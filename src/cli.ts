// The `handoff` command (bin/handoff.js): operator tasks on the database DATABASE_URL names, as
// the server finds it. The table is cli-commands.ts; how a command line runs, cli-run.ts.
import { COMMANDS } from './cli-commands.ts';
import { runCli } from './cli-run.ts';

// exitCode rather than exit(): stdout is flushed first, and `serve` keeps running.
process.exitCode = await runCli(process.argv.slice(2), COMMANDS, {
  env: process.env,
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
});
