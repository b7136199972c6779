// The soak's memory verdict and error tallies (bench/soak-stats.ts) are pure functions of
// their inputs; checked here on made-up series, so `npm run soak` is never the first to run them.
import { describe, expect, it } from 'vitest';
import { count, errorRate, newTally, rssVerdict, type RssSample } from '../bench/soak-stats.ts';

/** readings every 0.25 s for `seconds`, of `mb(t)` */
const series = (seconds: number, mb: (t: number) => number): RssSample[] =>
  Array.from({ length: seconds * 4 + 1 }, (_, i) => ({ t: i / 4, mb: mb(i / 4) }));

describe('rssVerdict', () => {
  it('passes a flat series and ignores growth during warm-up', () => {
    const v = rssVerdict(series(300, (t) => (t < 60 ? 100 + t : 160)), 60, 300, 15)!;
    expect(v.afterWarmupMb).toBe(160);
    expect(v.endMb).toBe(160);
    expect(v.growthPct).toBe(0);
    expect(v.pass).toBe(true);
  });

  it('fails growth over 10 % after warm-up, with its rate', () => {
    // 100 MB at the end of warm-up, +0.05 MB/s: ~111.6 MB in the last window, +3 MB/min
    const v = rssVerdict(series(300, (t) => (t < 60 ? 100 : 100 + (t - 60) * 0.05)), 60, 300, 15)!;
    expect(v.growthPct).toBeGreaterThan(10);
    expect(v.pass).toBe(false);
    expect(v.slopeMbPerMin).toBeCloseTo(3, 1);
  });

  it('compares medians, so one reading at a garbage collection\'s peak decides nothing', () => {
    const v = rssVerdict(series(300, (t) => (t === 299 ? 500 : 100)), 60, 300, 15)!;
    expect(v.endMb).toBe(100);
    expect(v.peakMb).toBe(500);
    expect(v.pass).toBe(true);
  });

  it('has no verdict without readings after warm-up (the server died)', () => {
    expect(rssVerdict(series(30, () => 100), 60, 300, 15)).toBeNull();
  });
});

describe('count', () => {
  it('keeps 429s out of the error rate and 2xx latencies per route', () => {
    const t = newTally();
    count(t, { org: 1, route: 'GET a', status: 200, ms: 3 });
    count(t, { org: 1, route: 'GET a', status: 429, ms: 1 });
    count(t, { org: 2, route: 'PUT b', status: 500, ms: 9, detail: '{"errors":[]}' });
    count(t, { org: 2, route: 'PUT b', status: null, ms: 10_000, detail: 'TIMEOUT' });
    expect([t.requests, t.ok, t.limited, t.server5xx, t.socket, t.client4xx]).toEqual([4, 1, 1, 1, 1, 0]);
    expect(errorRate(t)).toBe(0.5);
    expect(t.latencies.get('GET a')).toEqual([3]);
    expect(t.latencies.has('PUT b')).toBe(false);
    expect(t.samples.get('500 PUT b')).toBe('org 2: {"errors":[]}');
  });
});
