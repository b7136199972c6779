// GET /v1/events/stream (API.md §4.8; issue 6, item 5), read over real HTTP on loopback the
// way an EventSource reads it: each organization sees only its own events as the webhook
// envelope, Last-Event-ID resumes without gaps or duplicates, shutdown and revoked keys end
// streams, and with Redis an event reaches the streams of another server process.
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { inProcessHub, type LiveHub } from '../src/events/live-hub.ts';
import { appendEvent } from '../src/events/outbox.ts';
import { POLL_MS } from '../src/modules/event-stream/outbox-tail.ts';
import { RETRY_MS } from '../src/modules/event-stream/event-stream.ts';
import { REASON } from '../src/input/validate.ts';
import { createApiKey, revokeKey } from '../src/modules/api-keys/api-keys.service.ts';
import { buildTestApp, client, freshDatabase, sharedDatabase, T0, type TestApp, type TestDatabase } from './helpers/app.ts';
import { expect400, expectError, INVALID } from './helpers/expect.ts';
import { factories } from './helpers/factories.ts';
import { startProcess, type ServerProcess } from './helpers/process.ts';
import { connectSse, sleep, until, type SseConnection, type SseEvent } from './helpers/sse.ts';

const REDIS_URL = process.env.TEST_REDIS_URL;
const UNAUTHORIZED = [INVALID, { code: 'unauthorized', message: 'Unauthorized' }];
const ENVELOPE_KEYS = ['id', 'event', 'eventData', 'attempts', 'lastAttemptAt', 'createdAt'];

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
}

/** the in-process hub, counting its subscribers: a stream's tail is one */
function countingHub(inner: LiveHub) {
  let subscribers = 0;
  const hub: LiveHub = {
    subscribe(listener) {
      subscribers++;
      const off = inner.subscribe(listener);
      return () => {
        subscribers--;
        off();
      };
    },
    close: () => inner.close(),
  };
  return { hub, subscribers: () => subscribers };
}

describe('GET /v1/events/stream', () => {
  let counted: ReturnType<typeof countingHub>;
  let t: TestApp;
  let base: string;
  let f: ReturnType<typeof factories>;
  let a: Awaited<ReturnType<typeof f.world>>;
  let b: Awaited<ReturnType<typeof f.world>>;
  const opened: SseConnection[] = [];

  beforeAll(async () => {
    const database = await freshDatabase();
    counted = countingHub(inProcessHub(database.database));
    t = await buildTestApp({ hub: counted.hub, database });
    base = await listen(t.app);
    f = factories(t.database, t.clock);
    a = await f.world();
    b = await f.world();
  });
  afterEach(() => {
    for (const s of opened.splice(0)) s.close();
  });
  afterAll(async () => {
    await t.close();
    await counted.hub.close();
  });

  const stream = async (key: string, headers: Record<string, string> = {}, query = '') => {
    const s = await connectSse(`${base}/v1/events/stream${query}`, { authorization: `Bearer ${key}`, ...headers });
    opened.push(s);
    return s;
  };
  const assign = async (w: typeof a, agent: number) => {
    const res = await client(t.app, w.org.apiKey).put('/v1/chats/assignee', { id: w.chat.id, assignee: w.agents[agent].id });
    expect(res.status).toBe(200);
    return res.body;
  };
  /** the organization's outbox after a position: what its stream must carry, in order */
  const outboxAfter = (orgId: number, after: number) =>
    t.database.db.selectFrom('outbox').selectAll().where('organization_id', '=', orgId).where('id', '>', after).orderBy('id').execute();
  const newest = async () => Number((await t.database.db.selectFrom('outbox').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst())?.m ?? 0);
  const ids = (events: SseEvent[]) => events.map((e) => Number(e.id));

  it('answers with the event-stream headers, a retry hint and the rate-limit headers', async () => {
    const s = await stream(a.org.apiKey);
    expect(s.status).toBe(200);
    expect(s.headers.get('content-type')).toBe('text/event-stream');
    expect(s.headers.get('cache-control')).toBe('no-cache');
    expect(s.headers.get('x-accel-buffering')).toBe('no');
    expect(s.headers.get('ratelimit-limit')).toBe('1000000');
    expect(s.headers.get('x-request-id')).toBeTruthy();
    await until(() => s.retry !== null);
    expect(s.retry).toBe(RETRY_MS);
  });

  it('each of two organizations sees only its own events, each as the webhook envelope', async () => {
    const start = await newest();
    const [sa, sb] = [await stream(a.org.apiKey), await stream(b.org.apiKey)];
    await assign(a, 0);
    await assign(b, 0);
    const lastChat = await assign(a, 1);
    await assign(b, 1);
    const [rowsA, rowsB] = [await outboxAfter(a.org.id, start), await outboxAfter(b.org.id, start)];
    expect(rowsA).toHaveLength(2);
    expect(rowsB).toHaveLength(2);
    await sa.waitForEvents(2);
    await sb.waitForEvents(2);
    await sleep(200); // nothing else arrives, in particular nothing of the other organization
    expect(ids(sa.events)).toEqual(rowsA.map((r) => r.id));
    expect(ids(sb.events)).toEqual(rowsB.map((r) => r.id));

    for (const [events, rows] of [[sa.events, rowsA], [sb.events, rowsB]] as const) {
      events.forEach((e, i) => {
        expect(e.event).toBe('chat.assigned');
        const envelope = JSON.parse(e.data);
        expect(Object.keys(envelope)).toEqual(ENVELOPE_KEYS);
        expect(envelope).toEqual({
          id: rows[i].event_id,
          event: 'chat.assigned',
          eventData: JSON.parse(rows[i].event_data),
          attempts: 0,
          lastAttemptAt: null,
          createdAt: String(T0),
        });
      });
    }
    expect(JSON.parse(sa.events[1].data).eventData.chat).toEqual(lastChat);
    expect(JSON.parse(sb.events[0].data).eventData.chat.id).toBe(b.chat.id);
  });

  it('resumes from Last-Event-ID: exactly the missed events in order, then live ones', async () => {
    const first = await stream(a.org.apiKey);
    await assign(a, 2);
    const [seen] = await first.waitForEvents(1);
    first.close();
    await assign(a, 0); // missed
    await assign(b, 2); // another organization's: never replayed to a
    await assign(a, 1); // missed
    const missed = (await outboxAfter(a.org.id, Number(seen.id))).map((r) => r.id);
    expect(missed).toHaveLength(2);

    const resumed = await stream(a.org.apiKey, { 'last-event-id': seen.id });
    expect(ids(await resumed.waitForEvents(2))).toEqual(missed);
    await assign(a, 2); // live
    const all = await resumed.waitForEvents(3);
    expect(ids(all)).toEqual((await outboxAfter(a.org.id, Number(seen.id))).map((r) => r.id));

    // ?lastEventId= for clients that cannot set headers; the header (what EventSource sends on
    // reconnecting) wins over the query of the original URL.
    const byQuery = await stream(a.org.apiKey, {}, `?lastEventId=${seen.id}`);
    expect(ids(await byQuery.waitForEvents(3))).toEqual(ids(all));
    const both = await stream(a.org.apiKey, { 'last-event-id': String(all[1].id) }, '?lastEventId=0');
    expect(ids(await both.waitForEvents(1))).toEqual([Number(all[2].id)]);
  });

  it('a long replay (several pages) with commits racing it: every event once, in position order', async () => {
    const BACKLOG = 3_000;
    const from = await newest();
    // 12 MB to replay, more than loopback socket buffers hold: while the client does not read,
    // the replay is stuck between pages, and the commits made then arrive as live events.
    const padding = 'x'.repeat(4_000);
    await t.database.write(async (trx) => {
      for (let n = 0; n < BACKLOG; n++) await appendEvent(trx, { orgId: a.org.id, event: 'customer.new', chatId: null, eventData: { n, padding }, createdAt: T0 });
    });
    await assign(a, 0); // before the stream subscribes: replayed
    const s = await stream(a.org.apiKey, { 'last-event-id': String(from) });
    s.pause();
    for (let n = 1; n <= 3; n++) await assign(a, n % 3); // during the replay: held, sent after it
    s.resume();
    await s.waitForEvents(BACKLOG + 4, 20_000);
    await assign(a, 1); // after it: live
    const expected = (await outboxAfter(a.org.id, from)).map((r) => r.id);
    expect(expected).toHaveLength(BACKLOG + 5);
    await s.waitForEvents(expected.length);
    await sleep(200);
    expect(ids(s.events)).toEqual(expected);
    expect(JSON.parse(s.events[0].data).eventData).toEqual({ n: 0, padding });
  });

  it('a Last-Event-ID that is not a position → 400 naming it, before any stream opens', async () => {
    const api = client(t.app, a.org.apiKey);
    expect400(await api.get('/v1/events/stream', { 'last-event-id': 'abc' }), { code: 'Last-Event-ID', message: REASON.numeric });
    expect400(await api.get('/v1/events/stream', { 'last-event-id': '1.5' }), { code: 'Last-Event-ID', message: REASON.integer });
    expect400(await api.get('/v1/events/stream', { 'last-event-id': '-1' }), { code: 'Last-Event-ID', message: REASON.positiveOrZero });
    expect400(await api.get('/v1/events/stream?lastEventId=x'), { code: 'lastEventId', message: REASON.numeric });
    // A position this server never issued would silently hide every event up to it.
    expect400(await api.get('/v1/events/stream', { 'last-event-id': String((await newest()) + 1) }), {
      code: 'Last-Event-ID',
      message: 'This value should not be later than the newest event.',
    });
  });

  it('no key or a wrong key → 401 in the envelope', async () => {
    for (const key of [null, 'hk_0000000000000000000000000000000000000000']) {
      expectError(await client(t.app, key).get('/v1/events/stream'), 401, ...UNAUTHORIZED);
    }
    const s = await connectSse(`${base}/v1/events/stream`);
    expect(s.status).toBe(401);
    expect(JSON.parse(s.text)).toEqual({ errors: UNAUTHORIZED });
  });

  it('a stream counts as one request against the organization limit', async () => {
    const limited = await f.org({ rateLimitPerMinute: 2 });
    const first = await stream(limited.apiKey);
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-remaining')).toBe('1');
    expect((await client(t.app, limited.apiKey).get('/v1/agents')).status).toBe(200);
    const refused = await stream(limited.apiKey);
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.text)).toEqual({ errors: [INVALID, { code: 'too_many_requests', message: 'Too many requests' }] });
  });

  it('a client that goes away leaves no subscription behind', async () => {
    await until(() => counted.subscribers() === 0); // earlier tests' streams are closed
    const [s1, s2] = [await stream(a.org.apiKey), await stream(b.org.apiKey)];
    expect(counted.subscribers()).toBe(1); // one tail for the instance, however many streams
    s1.close();
    await sleep(100);
    expect(counted.subscribers()).toBe(1);
    s2.close();
    await until(() => counted.subscribers() === 0);
    await assign(a, 0); // and a commit with no stream open still succeeds
  });

  it("a revoked key's open stream ends within 5 s (API.md §5)", async () => {
    const key = await createApiKey(t.database, t.clock, a.org.id);
    const s = await stream(key.apiKey);
    expect(s.status).toBe(200);
    const revokedAt = Date.now();
    await revokeKey(t.database, t.clock, a.org.id, key.id);
    await s.ended;
    expect(Date.now() - revokedAt).toBeLessThan(5_500);
    expect((await stream(key.apiKey)).status).toBe(401);
  });

  it('shutdown ends open streams instead of waiting for them', async () => {
    const other = await buildTestApp();
    const url = await listen(other.app);
    const org = await factories(other.database, other.clock).org();
    const s = await connectSse(`${url}/v1/events/stream`, { authorization: `Bearer ${org.apiKey}` });
    expect(s.status).toBe(200);
    const closed = await Promise.race([other.close().then(() => true), sleep(3_000).then(() => false)]);
    expect(closed).toBe(true); // an open stream would hold app.close() until the client left
    await s.ended;
  });
});


// The second instance is a real server process, so only Redis can carry events between them.
describe.skipIf(!REDIS_URL)('with Redis, across two instances on one database', () => {
  let shared: TestDatabase;
  let here: TestApp;
  let hereUrl: string;
  let there: ServerProcess;
  let thereUrl: string;
  let org: Awaited<ReturnType<ReturnType<typeof factories>['world']>>;

  beforeAll(async () => {
    shared = await sharedDatabase('stream');
    here = await buildTestApp({ hub: 'redis', database: shared });
    hereUrl = await listen(here.app);
    there = startProcess('node', ['--import', 'tsx', 'src/main.ts'], {
      DATABASE_URL: shared.url,
      REDIS_URL: REDIS_URL!,
      REDIS_PREFIX: here.config.redisPrefix,
      HANDOFF_DEMO: '0',
      PORT: '0',
      LOG_LEVEL: 'warn',
    });
    thereUrl = (await there.waitFor(/Handoff is running on (http:\/\/[\d.]+:\d+)/))[1];
    org = await factories(shared.database, here.clock).world();
  }, 60_000);
  afterAll(async () => {
    there?.stop();
    await there?.exit();
    await here?.close();
  });

  const open = (url: string) => connectSse(`${url}/v1/events/stream`, { authorization: `Bearer ${org.org.apiKey}` });

  it('an event committed on one instance reaches a stream on the other, through Redis, both ways', async () => {
    for (const [streamAt, commitAt] of [[thereUrl, 'here'], [hereUrl, 'there']] as const) {
      const connecting = Date.now();
      const s = await open(streamAt);
      expect(s.status).toBe(200);
      await sleep(300); // the other side's Redis subscription is up
      const body = JSON.stringify({ id: org.chat.id, assignee: org.agents[commitAt === 'here' ? 0 : 1].id });
      const res =
        commitAt === 'here'
          ? await client(here.app, org.org.apiKey).put('/v1/chats/assignee', body)
          : await fetch(`${thereUrl}/v1/chats/assignee`, { method: 'PUT', headers: { authorization: `Bearer ${org.org.apiKey}` }, body }).then(async (r) => ({ status: r.status, body: await r.json() }));
      expect(res.status).toBe(200);
      const [event] = await s.waitForEvents(1, POLL_MS);
      // Sooner than the tail's safety read of the outbox could have found it: Redis carried it.
      expect(Date.now() - connecting).toBeLessThan(POLL_MS);
      expect(event.event).toBe('chat.assigned');
      expect(JSON.parse(event.data).eventData.chat).toEqual(res.body);
      s.close();
    }
  });

  it("a server process's graceful shutdown ends its open streams and exits 0", async () => {
    const s = await open(thereUrl);
    expect(s.status).toBe(200);
    there.stop();
    await s.ended;
    expect(await there.exit()).toBe(0);
  });
});
