// Printing: one table of every run with its ratio to the reference run, then the targets.
import type { Measurement } from './load.ts';

export interface Row extends Measurement {
  /** req/s divided by the reference's (baseline's) req/s in the same run */
  ratio: number;
  /** any non-2xx answer, connection error or an empty run makes the numbers suspect */
  flagged: boolean;
  /** server CPU time per request: unlike req/s, barely moved by other load on the machine */
  serverUsPerReq: number | null;
}

export interface Target {
  name: string;
  value: number;
  /** the value must be at least (`>=`) or at most (`<=`) the bound */
  op: '>=' | '<=';
  bound: number;
  met: boolean;
}

export function withRatios(baseline: Measurement, runs: Measurement[]): Row[] {
  return runs.map((m) => ({
    ...m,
    ratio: baseline.reqPerSec > 0 ? m.reqPerSec / baseline.reqPerSec : 0,
    // no answer at all in the window (every request slower than the run) is no measurement
    flagged: m.non2xx > 0 || m.errors > 0 || m.requests === 0,
    serverUsPerReq: m.serverCpu === null || m.reqPerSec === 0 ? null : (m.serverCpu / m.reqPerSec) * 1e6,
  }));
}

export function target(name: string, row: Row | undefined, min: number): Target {
  const ratio = row?.ratio ?? 0;
  // An errored run does not meet its target even if its rate looks good.
  return { name, value: ratio, op: '>=', bound: min, met: !!row && !row.flagged && ratio >= min };
}

/** a value that must stay at or under `max` (a latency ratio, a memory size); `valid` false when its run errored */
export function ceiling(name: string, value: number, max: number, valid = true): Target {
  return { name, value, op: '<=', bound: max, met: valid && value <= max };
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => n.toFixed(n < 10 ? 2 : 1);

/** a suite's own columns, printed after the common ones */
export interface Column {
  head: string;
  cell(row: Row): string;
}

export function formatTable(rows: Row[], extra: Column[] = []): string {
  // cpu columns are cores busy during the run: bench (autocannon), server, everything else.
  const head = ['name', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'ratio', 'cpu bench', 'cpu srv', 'cpu other', 'srv µs/req', ...extra.map((c) => c.head), ''];
  const cores = (n: number | null) => (n === null ? '?' : n.toFixed(2));
  const body = rows.map((r) => [
    r.name, int(r.reqPerSec), ms(r.p50), ms(r.p99), int(r.non2xx), int(r.errors), r.ratio.toFixed(2),
    cores(r.clientCpu), cores(r.serverCpu), cores(r.otherCpu), r.serverUsPerReq === null ? '?' : int(r.serverUsPerReq),
    ...extra.map((c) => c.cell(r)),
    r.flagged ? '<- ERRORS' : '',
  ]);
  return formatColumns(head, body);
}

/** aligned columns under a ruled head: the first and last left-aligned, numbers between right-aligned */
export function formatColumns(head: string[], body: string[][], indent = ''): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    indent + cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(head), indent + widths.map((w) => '-'.repeat(w)).join('  ').trimEnd(), ...body.map(line)].join('\n');
}

export function formatTargets(targets: Target[]): string {
  return targets
    .map((t) => `  ${t.met ? 'MET   ' : 'MISSED'}  ${t.name}: ${Number.isFinite(t.value) ? t.value.toFixed(2) : 'no answer'} (target ${t.op} ${t.bound})`)
    .join('\n');
}

export const round2 = (n: number) => Math.round(n * 100) / 100;

/** a row as written to bench/results/*.json: rounded, without the profile window */
export function rowJson({ window: _, ...r }: Row) {
  const maybe = (n: number | null, f: (n: number) => number) => (n === null ? null : f(n));
  return {
    ...r, reqPerSec: round2(r.reqPerSec), p50: round2(r.p50), p99: round2(r.p99), ratio: round2(r.ratio), clientCpu: round2(r.clientCpu),
    serverCpu: maybe(r.serverCpu, round2), otherCpu: maybe(r.otherCpu, round2), serverUsPerReq: maybe(r.serverUsPerReq, Math.round),
  };
}
