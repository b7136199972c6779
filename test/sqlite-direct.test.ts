// Compile-once queries on SQLite run directly on the connection of the handle they are given
// (src/db/sqlite-direct.ts): inside write() the writer, through database.db a read-only
// connection that sees committed data only. These tests pin what that must not change: isolation, read-your-writes, and results.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.ts';
import { prepared } from '../src/db/prepared.ts';
import { agentsOfChats, chatViews, findChatView } from '../src/modules/chats/chats.repository.ts';
import { fixedClock } from '../src/lib/clock.ts';
import { freshDatabase, T0, TEST_DB, type TestDatabase } from './helpers/app.ts';
import { factories } from './helpers/factories.ts';

const renameDepartment = prepared((db, name: string, id: number) => db.updateTable('departments').set({ name }).where('id', '=', id));
const departmentName = prepared((db, id: number) => db.selectFrom('departments').select('name').where('id', '=', id));

describe.skipIf(TEST_DB !== 'sqlite')('compile-once queries on a SQLite file', () => {
  let fresh: TestDatabase;
  let database: Database;
  let world: Awaited<ReturnType<ReturnType<typeof factories>['world']>>;
  let departmentId: number;

  beforeAll(async () => {
    fresh = await freshDatabase();
    database = fresh.database;
    const f = factories(database, fixedClock(T0));
    world = await f.world();
    departmentId = (await f.department(world.org.id, 'Before')).id;
  });
  afterAll(async () => {
    await database.close();
    await fresh.drop();
  });

  const nameOutside = async () => (await departmentName(database.db, departmentId)).rows[0]?.name;

  it('outside a transaction, never see a write batch that has not committed', async () => {
    let seenInside: string | undefined;
    let seenOutside: string | undefined;
    await database.write(async (trx) => {
      await renameDepartment(trx, 'During', departmentId);
      seenInside = (await departmentName(trx, departmentId)).rows[0]?.name;
      // The batch holds the writer; a read from outside must neither wait for it nor see it.
      seenOutside = await nameOutside();
    });
    expect(seenInside).toBe('During');
    expect(seenOutside).toBe('Before');
    expect(await nameOutside()).toBe('During'); // once write() resolved, everyone sees it
  });

  it('a rolled-back write is never seen outside', async () => {
    await expect(
      database.write(async (trx) => {
        await renameDepartment(trx, 'Rolled back', departmentId);
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await nameOutside()).toBe('During');
  });

  it('answers writes as Kysely does (affected rows); the read-only handle refuses them', async () => {
    const inside = await database.write((trx) => renameDepartment(trx, 'Inside', departmentId));
    expect(inside.numAffectedRows).toBe(1n);
    expect(inside.rows).toEqual([]);
    await expect(renameDepartment(database.db, 'Outside', departmentId)).rejects.toThrow('database.db only reads');
    expect(await nameOutside()).toBe('Inside');
  });

  it('reads the same row outside and inside a transaction', async () => {
    const outside = await findChatView(database.db, world.org.id, world.chat.id);
    const inside = await database.write((trx) => findChatView(trx, world.org.id, world.chat.id));
    expect(outside).toEqual(inside);
    expect(outside?.id).toBe(world.chat.id);
  });

  it("makes rows that equal what Kysely's own driver returns, key order included", async () => {
    const ids = [world.chat.id];
    const viaKysely = await database.db
      .selectFrom('chats as c')
      .innerJoin('customers as cu', 'cu.id', 'c.customer_id')
      .leftJoin('agents as a', 'a.id', 'c.assignee_id')
      .leftJoin('departments as d', 'd.id', 'c.department_id')
      .selectAll('c')
      .select(['cu.name as customer_name', 'cu.email as customer_email', 'cu.user_id as customer_user_id'])
      .select(['a.name as assignee_name', 'a.email as assignee_email', 'a.role as assignee_role', 'd.name as department_name'])
      .where('c.id', 'in', ids)
      .execute();
    const direct = await chatViews(database.db, world.org.id, ids);
    expect(direct).toEqual(viaKysely);
    expect(Object.keys(direct[0])).toEqual(Object.keys(viaKysely[0]));
    expect((await agentsOfChats(database.db, world.org.id, ids)).size).toBe(0);
  });

  it('hands packed rows over unchanged: any text, nulls, large integers', async () => {
    const text = 'quote " backslash \\ newline \n tab \t NUL \u0000 emoji 😀 line sep \u2028 é 中文 </script>';
    await database.write((trx) =>
      trx.updateTable('chats').set({ last_message_text: text, last_message_id: 2 ** 53 - 1, rating: null }).where('id', '=', world.chat.id).execute(),
    );
    const customerId = (await findChatView(database.db, world.org.id, world.chat.id))!.customer_id;
    await database.write((trx) => trx.updateTable('customers').set({ name: null, email: '"@\\' }).where('id', '=', customerId).execute());
    const [view] = await chatViews(database.db, world.org.id, [world.chat.id]);
    expect(view.last_message_text).toBe(text);
    expect(view.last_message_id).toBe(2 ** 53 - 1);
    expect(view.rating).toBeNull();
    expect(view.customer_name).toBeNull();
    expect(view.customer_email).toBe('"@\\');
    expect(view).toEqual(await findChatView(database.db, world.org.id, world.chat.id)); // the unpacked read of the same row
  });

  it('reads rows unpacked when two columns share a name (the packed wrapper could not tell them apart)', async () => {
    const twoIds = prepared((db, id: number) => db.selectFrom('chats as c').innerJoin('customers as cu', 'cu.id', 'c.customer_id').select(['c.id', 'cu.id']).where('c.id', '=', id), { packRows: true });
    const { rows } = await twoIds(database.db, world.chat.id);
    const customerId = (await findChatView(database.db, world.org.id, world.chat.id))!.customer_id;
    expect(rows).toEqual([{ id: customerId }]); // the later column wins, as in better-sqlite3
  });
});
