// The process entry of `npm start`: reads the configuration once, then serves until SIGTERM. It
// is imported by nothing (the import rules in .dependency-cruiser.cjs check it); the wiring is
// server.ts, which `handoff serve` and the tests share.
import { ConfigError, loadConfig, type Config } from './config.ts';
import { serve } from './server.ts';

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`${err.message}\nFix the variables above (see README, Configuration) and start again.`);
  process.exit(1);
}
serve(config).catch((err) => {
  console.error(`Handoff could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
