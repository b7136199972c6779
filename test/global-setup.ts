// Runs once per `npm test`: says which optional suites are skipped and why (one line each).
export default function announceSkippedSuites(): void {
  if (!process.env.TEST_DATABASE_URL) {
    console.log('PostgreSQL suite skipped: TEST_DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/test).');
  }
  if (!process.env.TEST_REDIS_URL) {
    console.log('Redis suite skipped: TEST_REDIS_URL is not set (e.g. redis://127.0.0.1:6379).');
  }
}
