// Redis (issue 5): rate limits shared by every instance, live events carried between
// instances, and a Redis outage that never stops requests being served. Runs when
// TEST_REDIS_URL is set (CI sets it); the outage test starts a Redis of its own.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { redisHub } from '../src/events/live-hub.ts';
import type { CommittedEvent } from '../src/events/outbox.ts';
import { connectRedis } from '../src/redis.ts';
import { client, freshDatabase, T0, type TestDatabase } from './helpers/app.ts';
import { factories } from './helpers/factories.ts';
import { fixedClock } from '../src/lib/clock.ts';

const REDIS_URL = process.env.TEST_REDIS_URL;
const quiet = { warn: () => {}, info: () => {} };

/** two app instances on one database, each with its own Redis connection, as two servers would be */
async function twoInstances(fresh: TestDatabase, redisUrl: string, prefix: string) {
  const clock = fixedClock(T0);
  const config = { ...loadConfig({}), logLevel: 'silent', demo: false, redisPrefix: prefix };
  const instances: Array<{ app: FastifyInstance; redis: Redis }> = [];
  for (let i = 0; i < 2; i++) {
    const redis = connectRedis(redisUrl, quiet);
    await new Promise((r) => (redis.status === 'ready' ? r(null) : redis.once('ready', r)));
    instances.push({ app: await buildApp({ config, database: fresh.database, clock, redis }), redis });
  }
  return { clock, instances, close: async () => { for (const i of instances) { await i.app.close(); i.redis.disconnect(); } } };
}

describe.skipIf(!REDIS_URL)('with Redis', () => {
  let fresh: TestDatabase;
  let pair: Awaited<ReturnType<typeof twoInstances>>;
  const prefix = `test${process.pid}${Date.now()}:`;

  beforeAll(async () => {
    fresh = await freshDatabase();
    pair = await twoInstances(fresh, REDIS_URL!, prefix);
  });
  afterAll(async () => {
    await pair.close();
    await fresh.database.close();
    await fresh.drop();
  });

  it("an organization's limit is global: the request over it is refused whichever instance receives it", async () => {
    const f = factories(fresh.database, pair.clock);
    const org = await f.org({ rateLimitPerMinute: 6 });
    const other = await f.org({ rateLimitPerMinute: 6 });
    const [a, b] = pair.instances.map((i) => client(i.app, org.apiKey));
    for (let n = 1; n <= 6; n++) {
      const res = await (n % 2 ? a : b).get('/v1/agents');
      expect(res.status).toBe(200);
      expect(res.headers['ratelimit-remaining']).toBe(String(6 - n));
    }
    expect((await a.get('/v1/agents')).status).toBe(429);
    expect((await b.get('/v1/agents')).status).toBe(429);
    expect((await client(pair.instances[1].app, other.apiKey).get('/v1/agents')).status).toBe(200);
  });

  it('committed events go out on the Redis channel, and what arrives on it reaches local subscribers', async () => {
    // Each direction is checked against Redis itself: a raw subscriber must see what this
    // instance commits, and a raw publisher must reach this hub.
    const hub = redisHub(fresh.database, pair.instances[0].redis, prefix);
    const listener = pair.instances[0].redis.duplicate();
    const onChannel: Array<{ from: string; event: CommittedEvent }> = [];
    listener.on('message', (_c: string, text: string) => onChannel.push(JSON.parse(text)));
    await new Promise((r) => (listener.status === 'ready' ? r(null) : listener.once('ready', r)));
    await listener.subscribe(`${prefix}events`);
    await new Promise((r) => setTimeout(r, 200)); // the hub's own subscription reaches Redis

    const f = factories(fresh.database, pair.clock);
    const w = await f.world();
    const res = await client(pair.instances[0].app, w.org.apiKey).put('/v1/chats/assignee', { id: w.chat.id, assignee: w.agents[0].id });
    expect(res.status).toBe(200);
    for (let i = 0; i < 50 && !onChannel.some((m) => m.event.event === 'chat.assigned' && m.event.chatId === w.chat.id); i++) await new Promise((r) => setTimeout(r, 20));
    const published = onChannel.find((m) => m.event.event === 'chat.assigned' && m.event.chatId === w.chat.id)!;
    expect(published).toBeDefined();
    expect(published.event.organizationId).toBe(w.org.id);
    expect((published.event.eventData as { chat: unknown }).chat).toEqual(res.body);

    const heard: CommittedEvent[] = [];
    hub.subscribe((e) => heard.push(e));
    const remote = { ...published.event, position: 999_999_999, id: 'from-another-instance' };
    await pair.instances[1].redis.publish(`${prefix}events`, JSON.stringify({ from: 'another-instance', event: remote }));
    for (let i = 0; i < 50 && heard.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(heard).toEqual([remote]);
    // Its own messages coming back from Redis are not delivered twice.
    await pair.instances[1].redis.publish(`${prefix}events`, JSON.stringify({ from: published.from, event: { ...remote, id: 'echo' } }));
    await new Promise((r) => setTimeout(r, 100));
    expect(heard.map((e) => e.id)).toEqual(['from-another-instance']);
    listener.disconnect();
    await hub.close();
  });
});

async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as { port: number }).port;
  srv.close();
  return port;
}

function startRedis(port: number): ChildProcess {
  return spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
}

describe.skipIf(!REDIS_URL)('when Redis goes away', () => {
  it('requests keep succeeding (fail open), readiness says degraded, and limits are shared again when it returns', async () => {
    const port = await freePort();
    let redisServer = startRedis(port);
    const fresh = await freshDatabase();
    const pair = await twoInstances(fresh, `redis://127.0.0.1:${port}`, 'outage:');
    try {
      const f = factories(fresh.database, pair.clock);
      const org = await f.org({ rateLimitPerMinute: 4 });
      const [a, b] = pair.instances.map((i) => client(i.app, org.apiKey));
      expect((await a.get('/v1/agents')).status).toBe(200);
      expect((await client(pair.instances[0].app, null).get('/health/ready')).body).toEqual({ status: 'ok' });

      redisServer.kill('SIGKILL');
      await once(redisServer, 'exit');
      for (let i = 0; i < 50 && pair.instances.some((x) => x.redis.status === 'ready'); i++) await new Promise((r) => setTimeout(r, 20));
      // Well over the limit of 4, and every request is served.
      for (let i = 0; i < 10; i++) expect((await (i % 2 ? a : b).get('/v1/agents')).status).toBe(200);
      const ready = await client(pair.instances[1].app, null).get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body).toEqual({ status: 'degraded', checks: { database: 'ok', redis: 'down' } });

      redisServer = startRedis(port);
      for (let i = 0; i < 200 && pair.instances.some((x) => x.redis.status !== 'ready'); i++) await new Promise((r) => setTimeout(r, 25));
      expect(pair.instances.map((x) => x.redis.status)).toEqual(['ready', 'ready']);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await (i % 2 ? a : b).get('/v1/agents')).status);
      expect(statuses).toEqual([200, 200, 200, 200, 429, 429]); // a fresh window, counted for both
    } finally {
      await pair.close();
      redisServer.kill('SIGKILL');
      await fresh.database.close();
      await fresh.drop();
    }
  });
});
