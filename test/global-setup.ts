// Runs once per `npm test`: says which optional suites are skipped and why (one line each), and
// brings the builds up to date: the server's (dist/) for the suites that run the CLI or the built
// server, once here rather than raced by several at once, and the inbox's (web/dist) for the
// suites that serve or measure it.
import { existsSync } from 'node:fs';
import { buildServer } from '../scripts/build-server.mjs';
import { buildWeb } from '../scripts/build-web.mjs';

export default async function setup(): Promise<void> {
  if (!process.env.TEST_DATABASE_URL) {
    console.log('PostgreSQL suite skipped: TEST_DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/test).');
  }
  if (!process.env.TEST_REDIS_URL) {
    console.log('Redis suite skipped: TEST_REDIS_URL is not set (e.g. redis://127.0.0.1:6379).');
  }
  // In CI a missing Chromium is a failure of the browser suites, not a skip (test/helpers/browser.ts).
  if (!existsSync('/usr/bin/chromium') && !process.env.CI) {
    console.log("Browser suites (test/browser) skipped: /usr/bin/chromium is missing (apt-get install chromium).");
  }
  // Quiet when already fresh (the usual case); one line when it had to build.
  await buildServer({ log: (line) => console.log(`${line} (for the tests)`) });
  if ((await buildWeb({ quiet: true })) === 'built') console.log('web: built the inbox into web/dist for the tests.');
}
