// The outbox tail behind every event stream (src/modules/event-stream/outbox-tail.ts), driven
// directly: events are released in position order, each once, even where commits are not in
// position order. On PostgreSQL a transaction can commit after one holding a later position,
// and a rolled-back insert leaves a position that never commits; SQLite commits serially.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessHub } from '../src/events/live-hub.ts';
import { appendEvent } from '../src/events/outbox.ts';
import { OutboxTail } from '../src/modules/event-stream/outbox-tail.ts';
import { fixedClock } from '../src/lib/clock.ts';
import { freshDatabase, T0, TEST_DB, type TestDatabase } from './helpers/app.ts';
import { factories } from './helpers/factories.ts';
import { sleep, until } from './helpers/sse.ts';

describe('the outbox tail: position order even when commits are not', () => {
  const SETTLE_MS = TEST_DB === 'postgres' ? 400 : 0; // as the app sets it: 0 where commits are serial
  let hub: ReturnType<typeof inProcessHub>;
  let fresh: TestDatabase;
  let tail: OutboxTail;
  let orgId: number;

  beforeAll(async () => {
    fresh = await freshDatabase();
    hub = inProcessHub(fresh.database);
    tail = new OutboxTail(fresh.database.db, hub, { settleMs: SETTLE_MS, pollMs: 60_000, log: { warn: () => {} } });
    orgId = (await factories(fresh.database, fixedClock(T0)).org()).id;
  });
  afterAll(async () => {
    tail?.close();
    await hub?.close();
    await fresh?.database.close();
    await fresh?.drop();
  });

  const append = (n: number) => (trx: Parameters<Parameters<TestDatabase['database']['write']>[0]>[0]) =>
    appendEvent(trx, { orgId, event: 'customer.new', chatId: null, eventData: { n }, createdAt: T0 });
  /** a write that inserts event n, then waits for `finish` before committing (or rolling back) */
  async function openWrite(n: number, outcome: 'commit' | 'rollback') {
    let finish!: () => void;
    const gate = new Promise<void>((r) => (finish = r));
    let inserted!: () => void;
    const insertedYet = new Promise<void>((r) => (inserted = r));
    const done = fresh.database
      .write(async (trx) => {
        await append(n)(trx);
        inserted();
        await gate;
        if (outcome === 'rollback') throw new Error('rolled back on purpose');
      })
      .catch(() => {});
    await insertedYet;
    return { finish: async () => (finish(), await done) };
  }
  const listen = async () => {
    const got: number[] = [];
    const sub = await tail.subscribe(orgId, (e) => got.push((e.eventData as { n: number }).n));
    return { got, sub };
  };

  it.skipIf(TEST_DB !== 'postgres')('a position committed after a later one is released before it, not skipped', async () => {
    const { got, sub } = await listen();
    const first = await openWrite(1, 'commit');
    await fresh.database.write(append(2)); // the later position commits first
    await sleep(SETTLE_MS / 2);
    expect(got).toEqual([]); // held back while position 1 may still commit
    await first.finish();
    await until(() => got.length === 2);
    expect(got).toEqual([1, 2]);
    sub.unsubscribe();
  });

  it.skipIf(TEST_DB !== 'postgres')('a position whose insert rolled back holds the later ones back for settleMs only', async () => {
    const { got, sub } = await listen();
    const doomed = await openWrite(3, 'rollback');
    await fresh.database.write(append(4));
    const committed = Date.now();
    await doomed.finish();
    await until(() => got.length === 1);
    expect(got).toEqual([4]);
    expect(Date.now() - committed).toBeGreaterThanOrEqual(SETTLE_MS - 50);
    sub.unsubscribe();
  });

  it('a position missing among the newest (a deleted row) when the tail starts: every event after the horizon, once, in order', async () => {
    for (const n of [5, 6, 7]) await fresh.database.write(append(n));
    const six = await fresh.database.db.selectFrom('outbox').select('id').where('event_data', '=', JSON.stringify({ n: 6 })).executeTakeFirstOrThrow();
    await fresh.database.write((trx) => trx.deleteFrom('outbox').where('id', '=', six.id).execute());
    const { got, sub } = await listen();
    await fresh.database.write(append(8));
    await until(() => got.at(-1) === 8, SETTLE_MS + 3_000);
    const after = await fresh.database.db.selectFrom('outbox').select('event_data').where('id', '>', sub.horizon).orderBy('id').execute();
    expect(got).toEqual(after.map((r) => JSON.parse(r.event_data).n));
    // SQLite passes holes at once (its commits are serial); PostgreSQL waits settleMs at the
    // first one (here the rolled-back 3 of the test above), then releases 4, 5, 7.
    if (TEST_DB === 'postgres') expect(got.slice(-2)).toEqual([7, 8]);
    else expect(got).toEqual([8]);
    sub.unsubscribe();
  });
});
