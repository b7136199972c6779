// The suite runs on SQLite always and, when TEST_DATABASE_URL is set, a second time on
// PostgreSQL (each test file in its own schema). Suites that start real server processes on
// the README's SQLite path, and those that use no database at all, run once.
import { defineConfig } from 'vitest/config';

const SQLITE_ONLY = ['test/readme-path.test.ts', 'test/version.test.ts', 'test/docs-links.test.ts', 'test/slow-clients.test.ts', 'test/cli-process.test.ts', 'test/import-rules.test.ts', 'test/browser/**', 'test/web-build.test.ts', 'test/inbox-static.test.ts', 'test/dist-layout.test.ts', 'test/supervised-start.test.ts', 'test/build-server.test.ts', 'test/compose-file.test.ts'];
const postgres = process.env.TEST_DATABASE_URL;

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two files at a time. On a 2-core machine vitest would run one (cores − 1), and the suite
    // spends much of its time waiting (server processes starting, stalled-client timeouts, SSE
    // and browser round trips): serially it took ~15 min, two at a time ~8.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'sqlite', include: ['test/**/*.test.ts'], env: { HANDOFF_TEST_DB: 'sqlite' }, globalSetup: ['test/global-setup.ts'] },
      },
      ...(postgres
        ? [{ extends: true as const, test: { name: 'postgres', include: ['test/**/*.test.ts'], exclude: SQLITE_ONLY, env: { HANDOFF_TEST_DB: 'postgres' } } }]
        : []),
    ],
  },
});
