// Every measured run of a suite, with the server it ran against, so BENCH_PROFILE=1 can show
// where that server spent its CPU during exactly that run (profiles are written when the
// server children exit, so they are read at the end).
import { join } from 'node:path';
import { measure, type LoadSettings, type Measurement, type Scenario } from './load.ts';
import { mainThreadProfile, summarizeProfile } from './profile.ts';

export function createRecorder(settings: LoadSettings) {
  const measuredOn: Array<{ server: string; run: Measurement }> = [];
  return {
    async measured(server: string, scenario: Scenario): Promise<Measurement> {
      console.log(`measuring ${scenario.name} (${settings.warmup} s warm-up + ${settings.duration} s)...`);
      const run = await measure(scenario, settings);
      measuredOn.push({ server, run });
      return run;
    },
    printProfiles(dir: string) {
      for (const { server, run } of measuredOn) {
        const file = mainThreadProfile(join(dir, server));
        if (file) console.log(`\n=== profile of ${run.name}: ${summarizeProfile(file, run.window)}`);
      }
    },
  };
}
