// A per-organization cap on open live streams (issue 15: one key held 1,000). Beyond it: 429 in
// the envelope with Retry-After; other organizations are unaffected, a closed stream frees its
// place, and a stream refused for another reason (a bad Last-Event-ID) takes none.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helpers/app.ts';
import { INVALID } from './helpers/expect.ts';
import { factories } from './helpers/factories.ts';
import { connectSse, sleep, type SseConnection } from './helpers/sse.ts';

const CAP = 3;
let t: TestApp;
let base: string;
const opened: SseConnection[] = [];

beforeAll(async () => {
  t = await buildTestApp({ hub: 'in-process', config: { eventStreamsPerOrganization: CAP } });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  for (const s of opened) s.close();
  await t.close();
});

const open = async (key: string, headers: Record<string, string> = {}) => {
  const s = await connectSse(`${base}/v1/events/stream`, { authorization: `Bearer ${key}`, ...headers });
  opened.push(s);
  return s;
};

it(`an organization holds at most ${CAP} open streams; the next is a 429 until one closes`, async () => {
  const f = factories(t.database, t.clock);
  const mine = await f.org();
  const theirs = await f.org();

  for (let i = 0; i < 3; i++) expect((await open(mine.apiKey, { 'last-event-id': '999999999' })).status).toBe(400); // refused: takes no place
  const streams = [];
  for (let i = 0; i < CAP; i++) streams.push(await open(mine.apiKey));
  expect(streams.map((s) => s.status)).toEqual([200, 200, 200]);

  const refused = await open(mine.apiKey);
  expect(refused.status).toBe(429);
  expect(refused.headers.get('retry-after')).toBe('10');
  expect(JSON.parse(refused.text)).toEqual({ errors: [INVALID, { code: 'too_many_requests', message: 'Too many requests' }] });

  expect((await open(theirs.apiKey)).status).toBe(200); // another organization is not affected

  streams[0].close();
  await streams[0].ended.catch(() => {});
  let again = await open(mine.apiKey);
  for (const start = Date.now(); again.status === 429 && Date.now() - start < 3_000; again = await open(mine.apiKey)) await sleep(50);
  expect(again.status).toBe(200);
});
