// The client's paging iterators over more than one page, on a live server: 250 chats read 100
// at a time (the server's cap) come back each exactly once, in order, for a list
// (`{data, meta:{total}}`) and a search (`{data, meta:{total}, total}`); a bare list
// (`{data, total}`) is paged the same way. Both databases.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HandoffClient } from 'handoff/client';
import { buildTestApp, type TestApp } from './helpers/app.ts';
import { factories } from './helpers/factories.ts';

const CHATS = 250;
let t: TestApp;
let handoff: HandoffClient;
let chatIds: number[];
let customerId: number;
/** the offset and limit of every page the client asked for */
const asked: string[] = [];

beforeAll(async () => {
  t = await buildTestApp();
  const f = factories(t.database, t.clock);
  const org = await f.org();
  customerId = (await f.customer(org.id)).id;
  chatIds = [];
  for (let i = 0; i < CHATS; i++) chatIds.push((await f.chat(org.id, { applicationId: org.applicationId, customerId })).id);
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  const recording: typeof fetch = (input, init) => {
    const url = new URL(String(input));
    const body = init?.body ? JSON.parse(String(init.body)) : {};
    asked.push(`${url.pathname} ${url.searchParams.get('offset') ?? body.offset}/${url.searchParams.get('limit') ?? body.limit}`);
    return fetch(input, init);
  };
  handoff = new HandoffClient({ apiKey: org.apiKey, baseUrl: base, fetch: recording });
});
afterAll(() => t.close());

it('listAll: 250 chats in three pages, every id once, in order', async () => {
  asked.length = 0;
  const ids: number[] = [];
  for await (const chat of handoff.chats.listAll()) ids.push(chat.id);
  expect(ids).toEqual(chatIds);
  expect(asked).toEqual(['/v1/chats 0/100', '/v1/chats 100/100', '/v1/chats 200/100']);
});

it('searchAll with a filter and a sort, from an offset', async () => {
  asked.length = 0;
  const ids: number[] = [];
  const filter = [{ field: 'chats.customer', operator: '=' as const, value: customerId }];
  for await (const chat of handoff.chats.searchAll({ filter, sort: 'chats.createdAt', order: 'desc', offset: 10 })) ids.push(chat.id);
  expect(ids).toEqual([...chatIds].reverse().slice(10));
  expect(asked).toEqual(['/v1/chats/search 10/100', '/v1/chats/search 110/100', '/v1/chats/search 210/100']);
});

it('a limit above the server\'s cap is clamped there, and the iterator still reads every item once', async () => {
  asked.length = 0;
  const ids: number[] = [];
  for await (const chat of handoff.chats.searchAll({ limit: 1000 })) ids.push(chat.id);
  expect(ids).toEqual(chatIds);
  expect(asked).toEqual(['/v1/chats/search 0/1000', '/v1/chats/search 100/1000', '/v1/chats/search 200/1000']);
});

it('breaking out of the loop stops asking', async () => {
  asked.length = 0;
  let n = 0;
  for await (const _ of handoff.chats.listAll({ limit: 100 })) if (++n === 150) break;
  expect(asked).toHaveLength(2);
});

it('a bare list ({data, total}): customers', async () => {
  const ids: number[] = [];
  for await (const c of handoff.customers.listAll({ limit: 1 })) ids.push(c.id);
  expect(ids).toEqual([customerId]);
  expect((await handoff.customers.list()).total).toBe(1);
});
