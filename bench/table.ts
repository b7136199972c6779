// Printing: one table of every run with its ratio to the baseline, then the targets.
import type { Measurement } from './load.ts';

export interface Row extends Measurement {
  /** req/s divided by the baseline's req/s in the same run */
  ratio: number;
  /** any non-2xx answer or connection error makes the numbers suspect */
  flagged: boolean;
  /** server CPU time per request: unlike req/s, barely moved by other load on the machine */
  serverUsPerReq: number | null;
}

export interface Target {
  name: string;
  ratio: number;
  min: number;
  met: boolean;
}

export function withRatios(baseline: Measurement, runs: Measurement[]): Row[] {
  return runs.map((m) => ({
    ...m,
    ratio: baseline.reqPerSec > 0 ? m.reqPerSec / baseline.reqPerSec : 0,
    flagged: m.non2xx > 0 || m.errors > 0,
    serverUsPerReq: m.serverCpu === null || m.reqPerSec === 0 ? null : (m.serverCpu / m.reqPerSec) * 1e6,
  }));
}

export function target(name: string, row: Row | undefined, min: number): Target {
  const ratio = row?.ratio ?? 0;
  // An errored run does not meet its target even if its rate looks good.
  return { name, ratio, min, met: !!row && !row.flagged && ratio >= min };
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => n.toFixed(n < 10 ? 2 : 1);

export function formatTable(rows: Row[]): string {
  // cpu columns are cores busy during the run: bench (autocannon), server, everything else.
  const head = ['name', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'ratio', 'cpu bench', 'cpu srv', 'cpu other', 'srv µs/req', ''];
  const cores = (n: number | null) => (n === null ? '?' : n.toFixed(2));
  const body = rows.map((r) => [
    r.name, int(r.reqPerSec), ms(r.p50), ms(r.p99), int(r.non2xx), int(r.errors), r.ratio.toFixed(2),
    cores(r.clientCpu), cores(r.serverCpu), cores(r.otherCpu), r.serverUsPerReq === null ? '?' : int(r.serverUsPerReq),
    r.flagged ? '<- ERRORS' : '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  ').trimEnd(), ...body.map(line)].join('\n');
}

export function formatTargets(targets: Target[]): string {
  return targets
    .map((t) => `  ${t.met ? 'MET   ' : 'MISSED'}  ${t.name}: ${t.ratio.toFixed(2)} (target >= ${t.min})`)
    .join('\n');
}
