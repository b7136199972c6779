// One read path and one write path on both databases (issue 17): `database.db` reads committed
// data and refuses changes; the writer is reached only inside `write()`. On SQLite the write
// batch holds the only writer connection, so a read through `database.db` inside `write()`
// used to wait for the batch that was waiting for it.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.ts';
import { prepared } from '../src/db/prepared.ts';
import { signalsOf } from '../src/db/signals.ts';
import { appendEvent, type CommittedEvent } from '../src/events/outbox.ts';
import { fixedClock } from '../src/lib/clock.ts';
import { freshDatabase, T0, type TestDatabase } from './helpers/app.ts';
import { factories } from './helpers/factories.ts';

const departmentName = prepared((db, id: number) => db.selectFrom('departments').select('name').where('id', '=', id));
const renameDepartment = prepared((db, name: string, id: number) => db.updateTable('departments').set({ name }).where('id', '=', id));

/** settles with the work's outcome, or 'timed out' if it is still pending after `ms` */
const within = <T>(ms: number, work: Promise<T>) =>
  Promise.race([work, new Promise<'timed out'>((r) => setTimeout(() => r('timed out'), ms).unref())]);

describe('the read path and the write path', () => {
  let fresh: TestDatabase;
  let other: TestDatabase;
  let database: Database;
  let orgId: number;
  let departmentId: number;

  beforeAll(async () => {
    fresh = await freshDatabase();
    other = await freshDatabase();
    database = fresh.database;
    const f = factories(database, fixedClock(T0));
    orgId = (await f.org()).id;
    departmentId = (await f.department(orgId, 'Before')).id;
  });
  afterAll(async () => {
    for (const d of [fresh, other]) {
      await d?.database.close();
      await d?.drop();
    }
  });

  it('a read through database.db inside write() completes, and sees committed data only', async () => {
    const seen = await within(
      5_000,
      database.write(async (trx) => {
        await renameDepartment(trx, 'During', departmentId);
        const compiled = (await departmentName(database.db, departmentId)).rows[0]?.name;
        const built = (await database.db.selectFrom('departments').select('name').where('id', '=', departmentId).executeTakeFirst())?.name;
        const raw = (await sql<{ name: string }>`select name from departments where id = ${departmentId}`.execute(database.db)).rows[0]?.name;
        return { compiled, built, raw };
      }),
    );
    expect(seen).toEqual({ compiled: 'Before', built: 'Before', raw: 'Before' });
    expect((await departmentName(database.db, departmentId)).rows[0]?.name).toBe('During');
  });

  it('database.db refuses changes, built or compiled once, and nothing changes', async () => {
    await expect(database.db.updateTable('departments').set({ name: 'Outside' }).where('id', '=', departmentId).execute()).rejects.toThrow(
      'database.db only reads',
    );
    await expect(database.db.deleteFrom('departments').where('id', '=', departmentId).execute()).rejects.toThrow('database.db only reads');
    await expect(renameDepartment(database.db, 'Outside', departmentId)).rejects.toThrow('database.db only reads');
    expect((await departmentName(database.db, departmentId)).rows[0]?.name).toBe('During');
  });

  it("each database hears only its own commits (no process-wide emitter)", async () => {
    const heard: { here: CommittedEvent[]; there: CommittedEvent[] } = { here: [], there: [] };
    const here = (e: CommittedEvent) => heard.here.push(e);
    const there = (e: CommittedEvent) => heard.there.push(e);
    database.signals.committedEvents.on('event', here);
    other.database.signals.committedEvents.on('event', there);
    try {
      await database.write((trx) => {
        expect(signalsOf(trx)).toBe(database.signals); // found from the transaction alone
        return appendEvent(trx, { orgId, event: 'customer.new', chatId: null, eventData: { n: 1 }, createdAt: T0 });
      });
      expect(heard.here.map((e) => e.eventData)).toEqual([{ n: 1 }]);
      expect(heard.there).toEqual([]);
      expect(signalsOf(database.db)).toBe(database.signals);
      expect(signalsOf(other.database.db)).not.toBe(database.signals);
    } finally {
      database.signals.committedEvents.off('event', here);
      other.database.signals.committedEvents.off('event', there);
    }
  });
});
