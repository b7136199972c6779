// The inbox's build (scripts/build-web.mjs): fresh after the global setup, and small enough for
// a first load over a slow line — a size, measured as it travels (gzip), not a timing.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { DIST_DIR, buildIsFresh, scriptGzipBytes } from '../scripts/build-web.mjs';

const BUDGET_BYTES = 300 * 1024;

it('web/dist is built from the current web/ sources (its stored input hash matches)', () => {
  expect(buildIsFresh()).toBe(true);
});

it(`the first load's JavaScript is under ${BUDGET_BYTES / 1024} kB gzip`, () => {
  const scripts = readdirSync(join(DIST_DIR, 'assets')).filter((n) => n.endsWith('.js'));
  expect(scripts.length).toBeGreaterThan(0);
  const bytes = scriptGzipBytes();
  console.log(`inbox JavaScript: ${(bytes / 1024).toFixed(1)} kB gzip in ${scripts.length} file(s)`);
  expect(bytes).toBeGreaterThan(10 * 1024); // React is in it: a near-empty build is a broken one
  expect(bytes).toBeLessThan(BUDGET_BYTES);
});
