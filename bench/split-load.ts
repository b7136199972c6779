// One load split evenly over several servers, as a load balancer would: one autocannon per
// server, all running at once in this process, each with its share of the connections, so the
// total concurrency equals a single-server run's. The parts are summed into one measurement.
// PostgreSQL's backends are sampled around exactly the measured window (not the warm-up).
import { measure, type LoadSettings, type Measurement, type Scenario } from './load.ts';
import { pgDelta, type PgDelta, type PgObserver, type PgWaits } from './pg-stats.ts';
import { createRecorder } from './recorder.ts';

export interface Side {
  /** the server's label, for BENCH_PROFILE summaries */
  server: string;
  scenario: Scenario;
}

export interface SplitRun {
  /** the sum over the servers (equal to the only part for one server) */
  total: Measurement;
  /** each server's own share; empty for a single server */
  parts: Measurement[];
  pg: PgDelta | null;
  waits: PgWaits | null;
}

export function splitLoad(settings: LoadSettings) {
  const recorders = new Map<number, ReturnType<typeof createRecorder>>();
  // The warm-up is run here, not by measure(), so the PostgreSQL sample can be taken between it and the measured run.
  const recorderFor = (servers: number) => {
    if (!recorders.has(servers)) recorders.set(servers, createRecorder({ ...settings, connections: settings.connections / servers, warmup: 0 }));
    return recorders.get(servers)!;
  };
  return {
    async run(name: string, sides: Side[], observer?: PgObserver): Promise<SplitRun> {
      const share = { ...settings, connections: settings.connections / sides.length };
      if (!Number.isInteger(share.connections)) throw new Error(`${settings.connections} connections do not split over ${sides.length} servers`);
      const rec = recorderFor(sides.length);
      console.log(`warming up ${name} (${settings.warmup} s, discarded)${sides.length > 1 ? `: ${sides.length} × ${share.connections} connections at once` : ''}`);
      await Promise.all(sides.map((s) => measure(s.scenario, { ...share, duration: settings.warmup, warmup: 0 })));
      const before = await observer?.sample();
      const stopWatching = observer?.watch();
      const parts = await Promise.all(sides.map((s) => rec.measured(s.server, s.scenario)));
      const waits = (await stopWatching?.()) ?? null;
      const after = await observer?.sample();
      const pg = before && after ? pgDelta(before, after) : null;
      return { total: combine(name, parts, pg?.cpu ?? null), parts: sides.length > 1 ? parts : [], pg, waits };
    },
    printProfiles(dir: string) {
      for (const rec of recorders.values()) rec.printProfiles(dir);
    },
  };
}

/**
 * The parts of one concurrent run as one measurement. Rates, counts and server CPU add up.
 * Latency percentiles cannot be merged from percentiles, but the merged p50/p99 always lie
 * between the parts' (each part has the share p at or under its own): the larger is reported,
 * an upper bound.
 */
function combine(name: string, parts: Measurement[], pgCpu: number | null): Measurement {
  const sum = (f: (m: Measurement) => number) => parts.reduce((a, m) => a + f(m), 0);
  const serverCpu = parts.every((m) => m.serverCpu !== null) ? sum((m) => m.serverCpu!) : null;
  // Each part read this whole process's CPU over (almost) the same window: the same quantity, not additive.
  const clientCpu = sum((m) => m.clientCpu) / parts.length;
  // Each part's "other" is machine − bench − its own server: the other servers and PostgreSQL
  // (measured separately) are this run's work, not noise.
  const others = parts.map((m) => (m.otherCpu === null || m.serverCpu === null || serverCpu === null ? null : m.otherCpu + m.serverCpu - serverCpu - (pgCpu ?? 0)));
  const otherCpu = others.every((o) => o !== null) ? Math.max(0, others.reduce((a, o) => a + o!, 0) / others.length) : null;
  return {
    name,
    reqPerSec: sum((m) => m.reqPerSec),
    p50: Math.max(...parts.map((m) => m.p50)),
    p99: Math.max(...parts.map((m) => m.p99)),
    requests: sum((m) => m.requests),
    non2xx: sum((m) => m.non2xx),
    errors: sum((m) => m.errors),
    clientCpu,
    serverCpu,
    otherCpu,
    window: [Math.min(...parts.map((m) => m.window[0])), Math.max(...parts.map((m) => m.window[1]))],
  };
}
