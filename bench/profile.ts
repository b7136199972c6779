// Summarises the V8 CPU profiles the server children write under BENCH_PROFILE=1: the
// functions with the most self time, and self time per package/area, as shares of busy
// (non-idle) time. Enough to see where a request's time goes without opening DevTools.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

const IDLE = new Set(['(idle)', '(program)', '(garbage collector)']);

/** where a function lives: an npm package, node's internals, or a project folder */
function area(url: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return 'node:internal';
  const src = /\/(src|bench)\/(.*)$/.exec(url);
  if (src) return `${src[1]}/${src[2].split('/').slice(0, -1).join('/') || src[2]}`;
  return url === '' ? '(native/vm)' : url;
}

function top(map: Map<string, number>, busy: number, n: number): string[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `  ${((100 * v) / busy).toFixed(1).padStart(5)}%  ${k}`);
}

/** Self time of the samples taken within `window` (µs, monotonic): the measured run only, no start-up. */
export function summarizeProfile(file: string, window: [number, number], n = 20): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const hits = new Map<number, number>();
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    if (t >= window[0] && t <= window[1]) hits.set(id, (hits.get(id) ?? 0) + 1);
  });
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  let busy = 0;
  let gc = 0;
  for (const node of profile.nodes) {
    const count = hits.get(node.id) ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(garbage collector)') gc += count;
    if (count === 0 || IDLE.has(functionName)) continue;
    busy += count;
    const where = url ? `${url.replace(/^.*\/(node_modules|src|bench)\//, '$1/')}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + count);
    byArea.set(area(url), (byArea.get(area(url)) ?? 0) + count);
  }
  if (busy === 0) return 'no samples in the measured window';
  return [
    `${busy} busy samples (GC ${((100 * gc) / (busy + gc)).toFixed(1)}% of busy+GC) from ${file}`,
    'top self time by function:',
    ...top(byFunction, busy, n),
    'self time by area:',
    ...top(byArea, busy, 15),
  ].join('\n');
}

/** The main thread's profile of one server: the largest file (the tsx loader thread writes one too). */
export function mainThreadProfile(dir: string): string | undefined {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(dir, f));
  return files.sort((a, b) => statSync(b).size - statSync(a).size)[0];
}
