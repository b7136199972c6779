// The process entry of `npm start`: reads the configuration once, then serves until SIGTERM. It
// is imported by nothing (the import rules in .dependency-cruiser.cjs check it); the wiring is
// server.ts, which `handoff serve` and the tests share.
//
// One option: `--log-format pretty|json` (instead of LOG_FORMAT; README, Configuration).
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, LOG_FORMATS, type Config } from './config.ts';
import { serve } from './server.ts';

function configFromCommandLine(): Config {
  const { values } = parseArgs({ options: { 'log-format': { type: 'string' } }, strict: true, allowPositionals: false });
  const format = values['log-format'];
  if (format !== undefined && !(LOG_FORMATS as readonly string[]).includes(format)) {
    throw new ConfigError([`--log-format ${format}: expected one of ${LOG_FORMATS.join(', ')}`]);
  }
  return loadConfig(format === undefined ? process.env : { ...process.env, LOG_FORMAT: format });
}

let config: Config;
try {
  config = configFromCommandLine();
} catch (err) {
  if (err instanceof ConfigError) console.error(`${err.message}\nFix the variables above (see README, Configuration) and start again.`);
  // parseArgs: an unknown option, or one without its value
  else console.error(`${err instanceof Error ? err.message : String(err)}\nUsage: node src/main.ts [--log-format pretty|json]`);
  process.exit(1);
}
serve(config).catch((err) => {
  console.error(`Handoff could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
