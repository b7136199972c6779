// Snoozing (API.md §4.2 PUT /v1/chats/snooze) and waking up (issue 3): the wake-up job clears a
// passed `snoozedUntil` and writes one `chat.unsnoozed`, across organizations, with time from
// the controllable clock, and keeps no state but the database (so a restart loses nothing).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { systemClock } from '../src/lib/clock.ts';
import { startServer } from '../src/server.ts';
import { wakeChat } from '../src/modules/chats/chat-changes.repository.ts';
import { SNOOZE_IN_PAST } from '../src/modules/chats/chat-changes.schema.ts';
import { createSnoozeWaker, wakeDueSnoozes } from '../src/modules/chats/snooze-waker.ts';
import { buildTestApp, client, T0, type Client, type TestApp } from './helpers/app.ts';
import { CHAT_KEYS, expect400, expectError } from './helpers/expect.ts';
import { factories } from './helpers/factories.ts';

type World = Awaited<ReturnType<ReturnType<typeof factories>['world']>>;
let t: TestApp;
let f: ReturnType<typeof factories>;
let a: World;
let b: World;
let api: Client;

beforeAll(async () => {
  t = await buildTestApp();
  f = factories(t.database, t.clock);
  a = await f.world();
  b = await f.world();
  api = client(t.app, a.org.apiKey);
});
afterAll(() => t.close());
beforeEach(async () => {
  t.clock.set(T0);
  // every test starts with nothing snoozed, so counts of woken chats are exact
  await t.database.write((trx) => trx.updateTable('chats').set({ snoozed_until: null }).execute());
});

const unsnoozed = async (chatId: number) =>
  (await t.database.db.selectFrom('outbox').select(['organization_id', 'event_data']).where('chat_id', '=', chatId).where('event', '=', 'chat.unsnoozed').orderBy('id').execute()).map(
    (e) => ({ orgId: e.organization_id, data: JSON.parse(e.event_data) }),
  );
const snoozedUntil = async (chatId: number) =>
  (await t.database.db.selectFrom('chats').select('snoozed_until').where('id', '=', chatId).executeTakeFirstOrThrow()).snoozed_until;
const newChat = (w: World) => f.chat(w.org.id, { applicationId: w.org.applicationId });
const snooze = async (w: World, chatId: number, until: number) => {
  const res = await client(t.app, w.org.apiKey).put('/v1/chats/snooze', { id: chatId, snoozedUntil: until });
  expect(res.status).toBe(200);
};

describe('PUT /v1/chats/snooze', () => {
  let chat: { id: number };
  beforeEach(async () => {
    chat = await newChat(a);
  });
  const CHAT_MISSING = (id: number) => ({ code: 'not_fount', message: `Chat for ID "${id}" was not found` });
  /** the chat's events after its chat.new, oldest first */
  const chatEvents = async (chatId: number) => {
    const rows = await t.database.db.selectFrom('outbox').selectAll().where('chat_id', '=', chatId).where('event', '!=', 'chat.new').orderBy('id').execute();
    return rows.map((e) => ({ event: e.event, orgId: e.organization_id, data: JSON.parse(e.event_data) }));
  };

  it('snoozes → 200 Chat with snoozedUntil; status kept; one chat.snoozed', async () => {
    await t.database.write((trx) => trx.updateTable('chats').set({ status: 'opened' }).where('id', '=', chat.id).execute());
    const res = await api.put('/v1/chats/snooze', { id: chat.id, snoozedUntil: T0 + 3600 });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(CHAT_KEYS);
    expect(res.body).toMatchObject({ snoozedUntil: String(T0 + 3600), status: 'opened' });
    expect(await chatEvents(chat.id)).toEqual([{ event: 'chat.snoozed', orgId: a.org.id, data: { chat: res.body } }]);
  });

  it.each([
    ['a digit string', String(T0 + 60), T0 + 60],
    ['a fractional digit string (truncated)', `${T0 + 60}.999`, T0 + 60],
    ['"…000" fraction', `${T0 + 61}.000`, T0 + 61],
  ])('accepts %s', async (_, given, stored) => {
    const res = await api.put('/v1/chats/snooze', { id: chat.id, snoozedUntil: given });
    expect(res.body.snoozedUntil).toBe(String(stored));
    expect(await snoozedUntil(chat.id)).toBe(stored);
  });

  it('the same time again → no event; a new time → a new chat.snoozed', async () => {
    await api.put('/v1/chats/snooze', { id: chat.id, snoozedUntil: T0 + 60 });
    await api.put('/v1/chats/snooze', { id: chat.id, snoozedUntil: String(T0 + 60) });
    expect((await chatEvents(chat.id)).map((e) => e.event)).toEqual(['chat.snoozed']);
    await api.put('/v1/chats/snooze', { id: chat.id, snoozedUntil: T0 + 120 });
    expect((await chatEvents(chat.id)).map((e) => e.event)).toEqual(['chat.snoozed', 'chat.snoozed']);
  });

  it('null unsnoozes → chat.unsnoozed; null on a chat not snoozed → no event', async () => {
    await api.put('/v1/chats/snooze', { id: chat.id, snoozedUntil: T0 + 60 });
    const res = await api.put('/v1/chats/snooze', { id: chat.id, snoozedUntil: null });
    expect(res.body.snoozedUntil).toBeNull();
    await api.put('/v1/chats/snooze', { id: chat.id, snoozedUntil: null });
    const ev = await chatEvents(chat.id);
    expect(ev.map((e) => e.event)).toEqual(['chat.snoozed', 'chat.unsnoozed']);
    expect(ev[1].data).toEqual({ chat: res.body });
  });

  it('snoozedUntil key absent → 400 missing', async () => {
    expect400(await api.put('/v1/chats/snooze', { id: chat.id }), { code: 'snoozedUntil', message: 'This field is missing.' });
  });

  it.each([[T0], [T0 - 1], [0], [String(T0)]])('a time not in the future (%j) → 400; nothing changes', async (given) => {
    expect400(await api.put('/v1/chats/snooze', { id: chat.id, snoozedUntil: given }), { code: 'snoozedUntil', message: SNOOZE_IN_PAST });
    expect(await snoozedUntil(chat.id)).toBeNull();
  });

  it.each([
    ['abc', 'This value should be of type numeric.'],
    [true, 'This value should be of type numeric.'],
    ['1e10', 'This value should be of type numeric.'],
    [-5, 'This value should be either positive or zero.'],
  ])('snoozedUntil %j → 400 %s', async (snoozedUntil, message) => {
    expect400(await api.put('/v1/chats/snooze', { id: chat.id, snoozedUntil }), { code: 'snoozedUntil', message });
  });

  it('a past time is a field rule: reported with the other fields, before the chat', async () => {
    expect400(
      await api.put('/v1/chats/snooze', { id: 0, snoozedUntil: T0 - 1 }),
      { code: 'id', message: 'This value should be positive.' },
      { code: 'snoozedUntil', message: SNOOZE_IN_PAST },
    );
    expect400(await api.put('/v1/chats/snooze', { id: 999999, snoozedUntil: T0 - 1 }), { code: 'snoozedUntil', message: SNOOZE_IN_PAST });
  });

  it('unknown chat → the single not_fount 404', async () => {
    expectError(await api.put('/v1/chats/snooze', { id: 999999, snoozedUntil: T0 + 60 }), 404, CHAT_MISSING(999999));
  });
});

describe('wakeDueSnoozes', () => {
  it('a chat snoozed until T+60 is not woken at T+59 and is woken at T+60 with exactly one event', async () => {
    const chat = await newChat(a);
    await snooze(a, chat.id, T0 + 60);
    t.clock.set(T0 + 59);
    expect(await wakeDueSnoozes(t.database, t.clock)).toBe(0);
    expect(await snoozedUntil(chat.id)).toBe(T0 + 60);
    expect(await unsnoozed(chat.id)).toEqual([]);

    t.clock.set(T0 + 60);
    expect(await wakeDueSnoozes(t.database, t.clock)).toBe(1);
    expect(await snoozedUntil(chat.id)).toBeNull();
    const read = (await api.get(`/v1/chats/${chat.id}`)).body;
    expect(read.snoozedUntil).toBeNull();
    expect(await unsnoozed(chat.id)).toEqual([{ orgId: a.org.id, data: { chat: read } }]);
    const row = await t.database.db.selectFrom('chats').select(['updated_at', 'status']).where('id', '=', chat.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ updated_at: T0 + 60, status: 'empty' }); // status is not the snooze's business
  });

  it('running twice produces no second event', async () => {
    const chat = await newChat(a);
    await snooze(a, chat.id, T0 + 10);
    t.clock.set(T0 + 100);
    expect(await wakeDueSnoozes(t.database, t.clock)).toBe(1);
    expect(await wakeDueSnoozes(t.database, t.clock)).toBe(0);
    expect(await unsnoozed(chat.id)).toHaveLength(1);
  });

  it("other organizations' chats are woken too; each event carries its own organization", async () => {
    const mine = await newChat(a);
    const theirs = await newChat(b);
    await snooze(a, mine.id, T0 + 5);
    await snooze(b, theirs.id, T0 + 6);
    t.clock.set(T0 + 6);
    expect(await wakeDueSnoozes(t.database, t.clock)).toBe(2);
    expect((await unsnoozed(mine.id)).map((e) => e.orgId)).toEqual([a.org.id]);
    const [event] = await unsnoozed(theirs.id);
    expect(event.orgId).toBe(b.org.id);
    expect(event.data.chat).toEqual((await client(t.app, b.org.apiKey).get(`/v1/chats/${theirs.id}`)).body);
  });

  it('wakes a backlog larger than one batch in bounded batches, every chat once', async () => {
    const chats = [];
    for (let i = 0; i < 5; i++) chats.push(await newChat(a));
    for (const [i, c] of chats.entries()) await snooze(a, c.id, T0 + 10 + i);
    const later = await newChat(a);
    await snooze(a, later.id, T0 + 1000);
    t.clock.set(T0 + 500);
    const write = vi.spyOn(t.database, 'write');
    try {
      expect(await wakeDueSnoozes(t.database, t.clock, 2)).toBe(5);
      expect(write).toHaveBeenCalledTimes(3); // 2 + 2 + 1: each batch its own transaction
    } finally {
      write.mockRestore();
    }
    for (const c of chats) expect(await unsnoozed(c.id)).toHaveLength(1);
    expect(await snoozedUntil(later.id)).toBe(T0 + 1000);
  });

  it('a chat unsnoozed or re-snoozed by hand before its time gets no wake-up event', async () => {
    const unsnoozedByHand = await newChat(a);
    const resnoozed = await newChat(a);
    await snooze(a, unsnoozedByHand.id, T0 + 10);
    await snooze(a, resnoozed.id, T0 + 10);
    await api.put('/v1/chats/snooze', { id: unsnoozedByHand.id, snoozedUntil: null });
    await snooze(a, resnoozed.id, T0 + 100);
    t.clock.set(T0 + 50);
    expect(await wakeDueSnoozes(t.database, t.clock)).toBe(0);
    expect(await unsnoozed(unsnoozedByHand.id)).toHaveLength(1); // the API's own, not a second
    expect(await unsnoozed(resnoozed.id)).toEqual([]);
  });

  it('the wake-up write is guarded: a chat no longer due is left alone (another instance, a re-snooze)', async () => {
    const chat = await newChat(a);
    await snooze(a, chat.id, T0 + 100);
    expect(await t.database.write((trx) => wakeChat(trx, a.org.id, chat.id, T0 + 99))).toBe(false);
    expect(await t.database.write((trx) => wakeChat(trx, b.org.id, chat.id, T0 + 100))).toBe(false); // scoped by organization
    expect(await snoozedUntil(chat.id)).toBe(T0 + 100);
    expect(await t.database.write((trx) => wakeChat(trx, a.org.id, chat.id, T0 + 100))).toBe(true);
  });
});

describe('the wake-up job', () => {
  const waitForWake = (chatId: number) => vi.waitFor(async () => expect(await unsnoozed(chatId)).toHaveLength(1), { timeout: 5_000, interval: 10 });

  it('runs at once on start and then every interval', async () => {
    const first = await newChat(a);
    const second = await newChat(a);
    await snooze(a, first.id, T0 + 10);
    await snooze(a, second.id, T0 + 20);
    t.clock.set(T0 + 10);
    const job = createSnoozeWaker(t, { intervalMs: 20 });
    job.start();
    try {
      await waitForWake(first.id);
      expect(await snoozedUntil(second.id)).toBe(T0 + 20);
      t.clock.set(T0 + 20); // due while the job is running: the next run takes it
      await waitForWake(second.id);
    } finally {
      await job.stop();
    }
  });

  it('started, stopped and started again (a restart) wakes the chats whose time passed meanwhile', async () => {
    const chat = await newChat(b);
    await snooze(b, chat.id, T0 + 60);
    const job = createSnoozeWaker(t, { intervalMs: 20 });
    job.start();
    await new Promise((r) => setTimeout(r, 60));
    await job.stop();
    t.clock.set(T0 + 3600); // the time passes while nothing runs
    await new Promise((r) => setTimeout(r, 60));
    expect(await snoozedUntil(chat.id)).toBe(T0 + 60);

    const restarted = createSnoozeWaker(t, { intervalMs: 60_000 }); // only the run at start can do it
    restarted.start();
    try {
      await waitForWake(chat.id);
      expect((await unsnoozed(chat.id))[0].orgId).toBe(b.org.id);
    } finally {
      await restarted.stop();
    }
  });

  it('a failed run is logged and the next run wakes the chat', async () => {
    const chat = await newChat(a);
    await snooze(a, chat.id, T0 + 1);
    t.clock.set(T0 + 2);
    let failures = 1;
    const flaky: Database = {
      ...t.database,
      write: (work) => (failures-- > 0 ? Promise.reject(new Error('database is locked')) : t.database.write(work)),
    };
    const log = { error: vi.fn() };
    const job = createSnoozeWaker({ database: flaky, clock: t.clock }, { intervalMs: 20, log });
    job.start();
    try {
      await waitForWake(chat.id);
      expect(log.error).toHaveBeenCalledTimes(1);
      expect(log.error.mock.calls[0][1]).toBe('snooze wake-up failed');
    } finally {
      await job.stop();
    }
  });
});

describe('the server runs the job', () => {
  it('a snooze that passed while the server was down is woken after start; stop() ends cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'handoff-snooze-'));
    const databaseUrl = `sqlite:${join(dir, 'handoff.sqlite')}`;
    let chatId: number;
    let orgId: number;
    // Before the start: a chat whose snooze ended while nothing ran.
    {
      const database = openDatabase(databaseUrl);
      await migrateDatabase(database);
      const w = await factories(database, systemClock).world();
      ({ id: chatId } = w.chat);
      orgId = w.org.id;
      await database.write((trx) => trx.updateTable('chats').set({ snoozed_until: systemClock.now() - 30 }).where('id', '=', chatId).execute());
      await database.close();
    }
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const server = await startServer({ ...loadConfig({}), databaseUrl, port: 0, demo: false, logLevel: 'silent' });
    try {
      await vi.waitFor(
        async () => {
          const e = await server.database.db.selectFrom('outbox').select('organization_id').where('chat_id', '=', chatId).where('event', '=', 'chat.unsnoozed').execute();
          expect(e).toEqual([{ organization_id: orgId }]);
        },
        { timeout: 5_000, interval: 20 },
      );
    } finally {
      await server.stop();
      log.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
