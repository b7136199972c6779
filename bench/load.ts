// One load shape for every measurement (same connections, pipelining, duration), so the
// ratios compare servers, not settings. Each measured run follows a discarded warm-up run
// of the same requests: JIT, statement cache and page cache are warm in both.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

export interface LoadSettings {
  connections: number;
  pipelining: number;
  /** seconds */
  duration: number;
  /** seconds */
  warmup: number;
}

export interface Scenario {
  name: string;
  url: string;
  /** the server process, to report how busy it was */
  pid?: number;
  method: 'GET' | 'PUT' | 'POST';
  headers?: Record<string, string>;
  /** a fresh path and body for each request (random chat, random agent) */
  next(): { path: string; body?: string };
}

export interface Measurement {
  name: string;
  reqPerSec: number;
  /** latency of the 2xx answers, ms (exact, not autocannon's whole-ms histogram) */
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  /** connection errors and timeouts */
  errors: number;
  /** CPU used by the load generator (this process) and the server, in cores: ~1.0 = saturated */
  clientCpu: number;
  serverCpu: number | null;
  /** CPU used by everything else on the machine meanwhile (other sessions, tests): noise */
  otherCpu: number | null;
  /** when the measured run ran, in µs of the monotonic clock V8's CPU profiles use */
  window: [number, number];
}

/** busy CPU seconds of the whole machine from /proc/stat (Linux); null where unavailable */
export function machineCpuSeconds(): number | null {
  try {
    const [, user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
    return (user + nice + system + irq + softirq + steal) / 100;
  } catch {
    return null;
  }
}

/** user+system CPU seconds of a process from /proc (Linux); null where unavailable */
export function processCpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in USER_HZ (100 on Linux)
  } catch {
    return null;
  }
}

/** nearest-rank percentile of sorted values */
const percentile = (sorted: Float64Array, p: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);

interface Run {
  result: autocannon.Result;
  /** latencies of the 2xx answers, ms, sorted */
  latencies: Float64Array;
}

function run(scenario: Scenario, settings: LoadSettings, duration: number): Promise<Run> {
  // autocannon's own percentiles are whole milliseconds; a ~1 ms reference would make every
  // latency ratio a ratio of small integers, so the exact (float ms) times are kept here.
  const times: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: scenario.url,
        connections: settings.connections,
        pipelining: settings.pipelining,
        duration,
        // A stuck server must not hang the bench: a request over 10 s counts as an error.
        timeout: 10,
        requests: [
          {
            method: scenario.method,
            headers: scenario.headers,
            setupRequest: (req) => ({ ...req, ...scenario.next() }),
          },
        ],
      },
      (err, result) => (err ? reject(err) : resolve({ result, latencies: Float64Array.from(times).sort() })),
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status >= 200 && status < 300) times.push(ms);
    });
  });
}

export async function measure(scenario: Scenario, settings: LoadSettings): Promise<Measurement> {
  if (settings.warmup > 0) await run(scenario, settings, settings.warmup);
  const client = process.cpuUsage();
  const server = processCpuSeconds(scenario.pid);
  const machine = machineCpuSeconds();
  const from = process.hrtime.bigint();
  const { result: r, latencies } = await run(scenario, settings, settings.duration);
  const to = process.hrtime.bigint();
  const wall = Number(to - from) / 1e9;
  const clientCpu = Object.values(process.cpuUsage(client)).reduce((a, b) => a + b, 0) / 1e6 / wall;
  const serverAfter = processCpuSeconds(scenario.pid);
  const machineAfter = machineCpuSeconds();
  const serverCpu = server === null || serverAfter === null ? null : (serverAfter - server) / wall;
  const otherCpu =
    machine === null || machineAfter === null || serverCpu === null ? null : Math.max(0, (machineAfter - machine) / wall - clientCpu - serverCpu);
  return {
    name: scenario.name,
    reqPerSec: r.requests.mean,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    clientCpu,
    serverCpu,
    otherCpu,
    window: [Number(from / 1000n), Number(to / 1000n)],
  };
}
