// The soak's tallies (per 30-s block and for the whole run) and its memory verdict. The
// verdict is a pure function of the RSS series, so it can be checked without running a soak.
import type { Outcome } from './soak-client.ts';

export interface Tally {
  requests: number;
  ok: number;
  /** 429: the rate limit, expected now and then at a pace just under it */
  limited: number;
  /** other 4xx: a request the mix should never have sent, or a server that refused a good one */
  client4xx: number;
  server5xx: number;
  /** no HTTP answer: reset, refused, or over the 10 s timeout */
  socket: number;
  /** latencies of the 2xx answers per route, ms */
  latencies: Map<string, number[]>;
  /** answers per route, every status */
  perRoute: Map<string, number>;
  /** the first answer of each kind of failure, to explain it */
  samples: Map<string, string>;
}

export function newTally(): Tally {
  return { requests: 0, ok: 0, limited: 0, client4xx: 0, server5xx: 0, socket: 0, latencies: new Map(), perRoute: new Map(), samples: new Map() };
}

export function count(t: Tally, o: Outcome): void {
  t.requests++;
  t.perRoute.set(o.route, (t.perRoute.get(o.route) ?? 0) + 1);
  let kind: string | null = null;
  if (o.status === null) {
    t.socket++;
    kind = `socket ${o.detail ?? ''}`;
  } else if (o.status >= 200 && o.status < 300) {
    t.ok++;
    let list = t.latencies.get(o.route);
    if (!list) t.latencies.set(o.route, (list = []));
    list.push(o.ms);
  } else if (o.status === 429) t.limited++;
  else if (o.status >= 500) {
    t.server5xx++;
    kind = `${o.status}`;
  } else {
    t.client4xx++;
    kind = `${o.status}`;
  }
  const key = kind && `${kind} ${o.route}`;
  if (key && !t.samples.has(key)) t.samples.set(key, `org ${o.org}: ${o.detail ?? ''}`);
}

/** failures other than the expected 429s, as a share of all requests */
export const errorRate = (t: Tally) => (t.requests === 0 ? 0 : (t.client4xx + t.server5xx + t.socket) / t.requests);

/** the largest value, null for none (a loop: a long run's arrays are too long to spread) */
export function maxOf(values: Iterable<number>): number | null {
  let max: number | null = null;
  for (const v of values) if (max === null || v > max) max = v;
  return max;
}

/** nearest-rank percentile (as bench/load.ts computes it) */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export interface RssSample {
  /** seconds since the load started */
  t: number;
  mb: number;
}

export interface RssVerdict {
  /** median RSS in the window just after warm-up, and in the last window of the run, MB */
  afterWarmupMb: number;
  endMb: number;
  growthPct: number;
  /** the highest reading after warm-up, MB */
  peakMb: number;
  /** least-squares slope of the readings after warm-up, MB per minute: a leak's rate */
  slopeMbPerMin: number;
  maxGrowthPct: number;
  pass: boolean;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * RSS after warm-up must not grow by more than `maxGrowthPct`: the median of the readings in
 * the `windowS` seconds after `warmupS` against the median of the last `windowS` seconds.
 * Medians, not single readings: a reading can land on either side of a garbage collection.
 * null when there are no readings in either window (no /proc, or the server died).
 */
export function rssVerdict(samples: RssSample[], warmupS: number, endS: number, windowS: number, maxGrowthPct = 10): RssVerdict | null {
  const after = samples.filter((s) => s.t >= warmupS);
  const first = after.filter((s) => s.t < warmupS + windowS).map((s) => s.mb);
  const last = after.filter((s) => s.t >= endS - windowS).map((s) => s.mb);
  if (first.length === 0 || last.length === 0) return null;
  const afterWarmupMb = median(first);
  const endMb = median(last);
  const growthPct = ((endMb - afterWarmupMb) / afterWarmupMb) * 100;
  const n = after.length;
  const mt = after.reduce((s, x) => s + x.t, 0) / n;
  const mm = after.reduce((s, x) => s + x.mb, 0) / n;
  const cov = after.reduce((s, x) => s + (x.t - mt) * (x.mb - mm), 0);
  const varT = after.reduce((s, x) => s + (x.t - mt) ** 2, 0);
  return {
    afterWarmupMb, endMb, growthPct,
    peakMb: maxOf(after.map((s) => s.mb))!,
    slopeMbPerMin: varT === 0 ? 0 : (cov / varT) * 60,
    maxGrowthPct,
    pass: growthPct <= maxGrowthPct,
  };
}
