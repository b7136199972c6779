// database.write(): what every use case relies on, on both databases. On SQLite concurrent
// writes share one transaction, each in its own savepoint (db/group-commit.ts); a failing one
// must take back only its own changes and its own after-commit work.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { afterCommit } from '../src/db/after-commit.ts';
import type { Database } from '../src/db/database.ts';
import { freshDatabase, T0, type TestDatabase } from './helpers/app.ts';
import { factories } from './helpers/factories.ts';
import { fixedClock } from '../src/lib/clock.ts';

let fresh: TestDatabase;
let database: Database;
let orgId: number;

beforeAll(async () => {
  fresh = await freshDatabase();
  database = fresh.database;
  orgId = (await factories(database, fixedClock(T0)).org()).id;
});
afterAll(async () => {
  await database.close();
  await fresh.drop();
});

const addDepartment = (name: string) => async (trx: Parameters<Parameters<Database['write']>[0]>[0]) => {
  await trx.insertInto('departments').values({ organization_id: orgId, name, created_at: T0 }).execute();
  return name;
};

it('concurrent writes: a failing one takes back only its own rows and after-commit work', async () => {
  const ran: string[] = [];
  const outcomes = await Promise.allSettled(
    ['one', 'two', 'bad', 'three'].map((name) =>
      database.write(async (trx) => {
        await addDepartment(name)(trx);
        afterCommit(trx, () => ran.push(name));
        if (name === 'bad') throw new Error('refused');
        return name;
      }),
    ),
  );
  expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
  expect((outcomes[2] as PromiseRejectedResult).reason).toEqual(new Error('refused'));
  const names = await database.db.selectFrom('departments').select('name').where('organization_id', '=', orgId).orderBy('id').execute();
  expect(names.map((n) => n.name).sort()).toEqual(['one', 'three', 'two']);
  expect(ran.sort()).toEqual(['one', 'three', 'two']);
});

it('a write answers only after its commit: what it wrote is visible the moment it resolves', async () => {
  const results = await Promise.all(
    Array.from({ length: 20 }, async (_, i) => {
      const name = await database.write(addDepartment(`d${i}`));
      const seen = await database.db.selectFrom('departments').select('id').where('name', '=', name).executeTakeFirst();
      return seen !== undefined;
    }),
  );
  expect(results.every(Boolean)).toBe(true);
});
