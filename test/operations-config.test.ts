// The settings issue 18 adds, read as config.ts reads them: when a demo is seeded, the log
// format, the webhook log's retention and the shutdown deadline; and what the start line says
// about the database (never a password).
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { describeDatabase } from '../src/server.ts';

const PG = 'postgres://handoff:s3cret@db.internal:5432/handoff';

describe('configuration', () => {
  it.each([
    ['the quick start: SQLite, no NODE_ENV', {}, true],
    ['SQLite in development', { NODE_ENV: 'development' }, true],
    ['SQLite with NODE_ENV=production', { NODE_ENV: 'production' }, false],
    ['PostgreSQL', { DATABASE_URL: PG }, false],
    ['PostgreSQL in production', { DATABASE_URL: PG, NODE_ENV: 'production' }, false],
    ['PostgreSQL with HANDOFF_DEMO=1', { DATABASE_URL: PG, HANDOFF_DEMO: '1' }, true],
    ['production with HANDOFF_DEMO=true', { NODE_ENV: 'production', HANDOFF_DEMO: 'true' }, true],
    ['the quick start with HANDOFF_DEMO=0', { HANDOFF_DEMO: '0' }, false],
  ])('demo: %s → %s', (_case, env, demo) => {
    expect(loadConfig(env).demo).toBe(demo);
  });

  it('LOG_FORMAT, WEBHOOK_RETENTION_DAYS and SHUTDOWN_TIMEOUT_MS: defaults, values, and refusals listed together', () => {
    const defaults = loadConfig({});
    expect([defaults.webhookRetentionDays, defaults.shutdownTimeoutMs]).toEqual([30, 10_000]);
    // not a terminal (the test runner's output is a pipe): JSON lines
    expect(defaults.logFormat).toBe(process.stdout.isTTY ? 'pretty' : 'json');
    const set = loadConfig({ LOG_FORMAT: 'pretty', WEBHOOK_RETENTION_DAYS: '7', SHUTDOWN_TIMEOUT_MS: '2500' });
    expect([set.logFormat, set.webhookRetentionDays, set.shutdownTimeoutMs]).toEqual(['pretty', 7, 2500]);
    expect(loadConfig({ LOG_FORMAT: 'JSON' }).logFormat).toBe('json');
    let problems: string[] = [];
    try {
      loadConfig({ LOG_FORMAT: 'yaml', WEBHOOK_RETENTION_DAYS: '0', SHUTDOWN_TIMEOUT_MS: 'soon' });
    } catch (err) {
      problems = (err as ConfigError).problems;
    }
    expect(problems).toEqual([
      expect.stringContaining('LOG_FORMAT=yaml'),
      expect.stringContaining('WEBHOOK_RETENTION_DAYS=0'),
      expect.stringContaining('SHUTDOWN_TIMEOUT_MS=soon'),
    ]);
  });

  it('the start line names the database: SQLite by its full path, PostgreSQL without the password', () => {
    expect(describeDatabase('sqlite:/var/lib/handoff/h.sqlite')).toBe('SQLite /var/lib/handoff/h.sqlite');
    expect(describeDatabase('sqlite:./data/handoff.sqlite')).toBe(`SQLite ${process.cwd()}/data/handoff.sqlite`);
    expect(describeDatabase('sqlite::memory:')).toBe('SQLite in memory');
    expect(describeDatabase(PG)).toBe('PostgreSQL handoff@db.internal:5432/handoff');
    expect(describeDatabase('postgres://db.internal/handoff?password=s3cret&sslmode=require')).toBe('PostgreSQL db.internal/handoff');
    for (const url of [PG, 'postgresql://u:s3cret@h/d?password=s3cret']) expect(describeDatabase(url)).not.toContain('s3cret');
  });
});
