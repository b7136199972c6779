// The SQLite file itself (issue 17): new files get 2 KiB pages, an older file keeps its own and
// the documented conversion (README, Deployment) works on a migrated file with its data; an
// ANALYZE run on the file does not leave per-value samples for Handoff's connections to re-plan by.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { NEW_FILE_PAGE_SIZE } from '../src/db/sqlite.ts';
import { fixedClock } from '../src/lib/clock.ts';
import { T0, TEST_DB } from './helpers/app.ts';
import { factories } from './helpers/factories.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function scratchFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'handoff-file-'));
  dirs.push(dir);
  return join(dir, 'handoff.sqlite');
}
const pageSize = (path: string) => {
  const s = new BetterSqlite3(path, { readonly: true });
  try {
    return s.pragma('page_size', { simple: true });
  } finally {
    s.close();
  }
};

/** a migrated file with a world in it, closed */
async function populated(path: string) {
  const database = openDatabase(`sqlite:${path}`);
  await migrateDatabase(database);
  const w = await factories(database, fixedClock(T0)).world();
  await database.close();
  return w;
}

describe.skipIf(TEST_DB !== 'sqlite')('the SQLite file', () => {
  it('a new file has 2 KiB pages', async () => {
    const path = scratchFile();
    await populated(path);
    expect(NEW_FILE_PAGE_SIZE).toBe(2048);
    expect(pageSize(path)).toBe(2048);
  });

  it('a file made with 4 KiB pages keeps them, and the documented conversion keeps its data', async () => {
    const path = scratchFile();
    const old = new BetterSqlite3(path);
    old.pragma('page_size = 4096');
    old.pragma('journal_mode = WAL');
    old.close();
    const w = await populated(path);
    expect(pageSize(path)).toBe(4096);

    // README, Deployment: the server stopped, one sqlite3 command
    const shell = new BetterSqlite3(path);
    shell.exec('PRAGMA journal_mode=DELETE; PRAGMA page_size=2048; VACUUM; PRAGMA journal_mode=WAL;');
    shell.close();
    expect(pageSize(path)).toBe(2048);

    const database = openDatabase(`sqlite:${path}`);
    try {
      const chat = await database.db.selectFrom('chats').select(['id', 'assignee_id']).where('id', '=', w.chat.id).executeTakeFirst();
      expect(chat?.id).toBe(w.chat.id);
      expect(await database.write((trx) => trx.selectFrom('organizations').select('id').execute())).toHaveLength(1);
    } finally {
      await database.close();
    }
  });

  it("ANALYZE's per-value samples are dropped at start; its table statistics stay", async () => {
    const path = scratchFile();
    await populated(path);
    const shell = new BetterSqlite3(path);
    shell.exec('ANALYZE');
    const samples = (shell.prepare('select count(*) as n from sqlite_stat4').get() as { n: number }).n;
    shell.close();
    expect(samples).toBeGreaterThan(0); // this SQLite writes them: the test would otherwise prove nothing

    const database = openDatabase(`sqlite:${path}`);
    await database.close();
    const after = new BetterSqlite3(path, { readonly: true });
    try {
      expect((after.prepare('select count(*) as n from sqlite_stat4').get() as { n: number }).n).toBe(0);
      expect((after.prepare('select count(*) as n from sqlite_stat1').get() as { n: number }).n).toBeGreaterThan(0);
    } finally {
      after.close();
    }
  });
});
