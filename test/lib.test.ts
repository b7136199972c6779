// Small pure pieces the hot paths rely on.
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { prepared } from '../src/db/prepared.ts';
import { apiKeyPrefix, newApiKey, newEventId, sha256Hex } from '../src/lib/crypto.ts';
import { bearerKey } from '../src/http/auth.ts';
import { parseInteger } from '../src/input/validate.ts';

describe('event ids', () => {
  it('are RFC 9562 version-7 UUIDs, unique and ordered by time', async () => {
    const ids = Array.from({ length: 1000 }, () => newEventId());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    const before = newEventId();
    await new Promise((r) => setTimeout(r, 5));
    expect(newEventId() > before).toBe(true);
    expect(parseInt(before.replace('-', '').slice(0, 12), 16)).toBeGreaterThan(Date.now() - 60_000);
  });
});

describe('api keys', () => {
  it('are long random tokens; the prefix is short and the hash is SHA-256', () => {
    const key = newApiKey();
    expect(key).toMatch(/^hk_[0-9a-f]{40}$/);
    expect(apiKeyPrefix(key)).toBe(key.slice(0, 9));
    expect(sha256Hex(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(newApiKey()).not.toBe(key);
  });

  it.each([
    ['Bearer hk_abc', 'hk_abc'],
    ['bearer   hk_abc  ', 'hk_abc'],
    ['Bearer <hk_abc>', 'hk_abc'],
    [' Bearer < hk_abc > ', 'hk_abc'],
    ['Basic hk_abc', null],
    ['Bearer', null],
    ['hk_abc', null],
    ['Bearer hk_a hk_b', null],
  ])('the Authorization header %j gives %j', (header, key) => {
    expect(bearerKey(header)).toBe(key);
  });
});

describe('integers (API.md §1)', () => {
  it.each([
    [5, 5],
    ['5215261', 5215261],
    [' 7 ', 7],
    [-3, -3],
  ])('%j → %j', (raw, n) => expect(parseInteger(raw)).toEqual({ ok: true, value: n }));

  it.each([[1.5], ['1.5'], ['1e3']])('%j is numeric but not an integer', (raw) => {
    expect(parseInteger(raw)).toEqual({ ok: false, reason: 'This value should be of type integer.' });
  });

  it.each([['abc'], [true], [null], [[]], [{}], ['0x10'], [NaN], [Infinity]])('%j is not numeric', (raw) => {
    expect(parseInteger(raw)).toEqual({ ok: false, reason: 'This value should be of type numeric.' });
  });
});

describe('prepared queries', () => {
  it('reuse one compiled statement with each call’s values, constants kept in place', async () => {
    const database = openDatabase('sqlite::memory:'); // in memory: a compiled statement needs no file, and no app reads it
    await migrateDatabase(database);
    const now = 1;
    for (const name of ['a', 'b']) {
      await database.write((trx) => trx.insertInto('organizations').values({ name, domain: name, chat_enabled: 1, rate_limit_per_minute: null, webhook_signing_key: 'k', created_at: now }).execute());
    }
    const byName = prepared((db, name: string, limit: number | null) =>
      db.selectFrom('organizations').select(['id', 'name']).where('name', '=', name).where('chat_enabled', '=', 1).where('webhook_signing_key', '=', 'k').where((eb) => eb.or([eb('rate_limit_per_minute', 'is', null), eb('rate_limit_per_minute', '=', limit)])),
    );
    expect((await byName(database.db, 'a', 5)).rows).toEqual([{ id: 1, name: 'a' }]);
    expect((await byName(database.db, 'b', null)).rows).toEqual([{ id: 2, name: 'b' }]);
    expect((await byName(database.db, 'zzz', 1)).rows).toEqual([]);
    await database.close();
  });

  it('refuses a query that does not use every argument', async () => {
    const database = openDatabase('sqlite::memory:'); // in memory: a compiled statement needs no file, and no app reads it
    const bad = prepared((db, _unused: number) => db.selectFrom('organizations').select('id'));
    await expect(bad(database.db, 1)).rejects.toThrow(/every argument/);
    await database.close();
  });
});
