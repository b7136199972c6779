// What the soak prints every 30 s and at the end, and what it writes to bench/results/.
import { formatColumns, round2 } from './table.ts';
import { errorRate, maxOf, percentile, type RssVerdict, type Tally } from './soak-stats.ts';
import { ROUTES } from './soak-mix.ts';

export interface BlockInfo {
  /** seconds since the load started, at the block's end */
  elapsedS: number;
  /** the block's length, s */
  lengthS: number;
  tally: Tally;
  rssMb: number | null;
  rssPeakMb: number | null;
  /** cores busy during the block: the server, the bench's clients, everything else on the machine */
  serverCpu: number | null;
  benchCpu: number | null;
  otherCpu: number | null;
  /** requests due but not sent because the server was behind, in this block */
  notSent: number;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number | null) => (n === null ? '-' : n.toFixed(n < 10 ? 2 : 1));
const mb = (n: number | null) => (n === null ? '?' : n.toFixed(1));
const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
export const clock = (s: number) => `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, '0')}`;

/** the routes in the mix's order, then any other (none expected) */
const routeOrder = (t: Tally) => [...Object.values(ROUTES), ...[...t.perRoute.keys()].filter((r) => !Object.values<string>(ROUTES).includes(r))];

export function routeTable(t: Tally, indent = '    '): string {
  const body = routeOrder(t).map((route) => {
    const lat = t.latencies.get(route) ?? [];
    const answered = t.perRoute.get(route) ?? 0;
    const failed = answered - lat.length;
    return [route, int(answered), ms(percentile(lat, 50)), ms(percentile(lat, 99)), ms(maxOf(lat)), failed ? `${int(failed)} non-2xx` : ''];
  });
  return formatColumns(['route', 'requests', 'p50 ms', 'p99 ms', 'max ms', ''], body, indent);
}

/** the failures of a tally in one phrase: "0 errors" or "3 errors (0.01 %): 5xx 2, socket 1" */
function errorPhrase(t: Tally): string {
  const errors = t.client4xx + t.server5xx + t.socket;
  const parts = [`5xx ${int(t.server5xx)}`, `socket ${int(t.socket)}`, `other 4xx ${int(t.client4xx)}`];
  const loud = t.server5xx > 0 || t.socket > 0 ? '  <- SERVER ERRORS' : '';
  return `${int(errors)} errors (${pct(errorRate(t))}: ${parts.join(', ')}), 429 ${int(t.limited)}${loud}`;
}

export function formatBlock(b: BlockInfo): string {
  const rate = b.lengthS > 0 ? b.tally.requests / b.lengthS : 0;
  const c = (n: number | null) => (n === null ? '?' : n.toFixed(2));
  return [
    `[${clock(b.elapsedS)}] ${int(b.tally.requests)} requests (${int(rate)}/s), ${errorPhrase(b.tally)}` +
      `${b.notSent ? `, ${int(b.notSent)} not sent (server behind)` : ''}; server RSS ${mb(b.rssMb)} MB (peak ${mb(b.rssPeakMb)})`,
    `        cores busy: server ${c(b.serverCpu)}, bench ${c(b.benchCpu)}, other processes ${c(b.otherCpu)}`,
    routeTable(b.tally),
  ].join('\n');
}

export function formatTotals(t: Tally, seconds: number, notSent: number): string {
  return [
    `whole run, ${clock(seconds)}: ${int(t.requests)} requests (${int(t.requests / seconds)}/s), ${errorPhrase(t)}${notSent ? `, ${int(notSent)} not sent` : ''}`,
    routeTable(t, '  '),
    ...[...t.samples].map(([kind, sample]) => `  first ${kind}: ${sample}`),
  ].join('\n');
}

export function formatVerdict(v: RssVerdict | null, warmupS: number, windowS: number, seconds: number): string {
  if (v === null) return 'RSS verdict: FAIL (no RSS readings: no /proc, or the server died)';
  const sign = v.growthPct >= 0 ? '+' : '';
  return [
    `RSS verdict: ${v.pass ? 'PASS' : 'FAIL'}: ${mb(v.afterWarmupMb)} MB after warm-up (median of ${clock(warmupS)}-${clock(warmupS + windowS)}) -> ` +
      `${mb(v.endMb)} MB at the end (median of ${clock(seconds - windowS)}-${clock(seconds)}) = ${sign}${v.growthPct.toFixed(1)} % (limit +${v.maxGrowthPct} %)`,
    `  peak after warm-up ${mb(v.peakMb)} MB; trend after warm-up ${v.slopeMbPerMin >= 0 ? '+' : ''}${v.slopeMbPerMin.toFixed(2)} MB/min`,
  ].join('\n');
}

/** a tally as written to the results JSON */
export function tallyJson(t: Tally) {
  const routes = Object.fromEntries(routeOrder(t).map((route) => {
    const lat = t.latencies.get(route) ?? [];
    const r = (n: number | null) => (n === null ? null : round2(n));
    return [route, { requests: t.perRoute.get(route) ?? 0, ok: lat.length, p50: r(percentile(lat, 50)), p99: r(percentile(lat, 99)), max: r(maxOf(lat)) }];
  }));
  return {
    requests: t.requests, ok: t.ok, limited429: t.limited, other4xx: t.client4xx, server5xx: t.server5xx, socketErrors: t.socket,
    errorRate: round2(errorRate(t) * 100) / 100, routes, failures: Object.fromEntries(t.samples),
  };
}
