// Several instances on one PostgreSQL and one Redis (issue 5): two real server processes
// share the assignment load without lost updates and share each organization's rate limit.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/database.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { factories } from './helpers/factories.ts';
import { startProcess, type ServerProcess } from './helpers/process.ts';
import { fixedClock } from '../src/lib/clock.ts';
import { adminQuery, T0, TEST_DB } from './helpers/app.ts';

const PG = process.env.TEST_DATABASE_URL;
const REDIS = process.env.TEST_REDIS_URL;
const enabled = TEST_DB === 'postgres' && !!PG && !!REDIS;

let name: string;
let url: string;
let database: Database;
let servers: ServerProcess[] = [];
let bases: string[] = [];

const admin = (text: string) => adminQuery(PG!, text);

beforeAll(async () => {
  if (!enabled) return;
  name = `handoff_scale_${process.pid}_${Date.now()}`;
  await admin(`create database ${name}`);
  url = PG!.replace(/\/[^/?]*(\?|$)/, `/${name}$1`);
  const env = { DATABASE_URL: url, REDIS_URL: REDIS!, REDIS_PREFIX: `${name}:`, HANDOFF_DEMO: '0', PORT: '0', LOG_LEVEL: 'warn' };
  // Started together on an empty database: the migration lock keeps them from racing.
  servers = [0, 1].map(() => startProcess('node', ['--import', 'tsx', 'src/main.ts'], env));
  bases = await Promise.all(servers.map(async (s) => (await s.waitFor(/Handoff is running on (http:\/\/[\d.]+:\d+)/))[1]));
  database = openDatabase(url);
  await migrateDatabase(database); // already applied by the servers: a no-op
}, 120_000);

afterAll(async () => {
  if (!enabled) return;
  for (const s of servers) s.stop();
  const codes = await Promise.all(servers.map((s) => s.exit()));
  await database?.close();
  await admin(`drop database if exists ${name} with (force)`);
  expect(codes).toEqual([0, 0]);
});

it.skipIf(!enabled)('500 concurrent assignments over two instances onto 20 chats: no lost update, one history row per change', async () => {
  const f = factories(database, fixedClock(T0));
  const org = await f.org();
  const agents = await Promise.all(Array.from({ length: 6 }, () => f.agent(org.id)));
  const chats: Array<{ id: number }> = [];
  for (let i = 0; i < 20; i++) chats.push(await f.chat(org.id, { applicationId: org.applicationId }));
  const headers = { authorization: `Bearer ${org.apiKey}` };

  let seed = 7;
  const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  const jobs = Array.from({ length: 500 }, (_, i) => ({ base: bases[i % 2], chat: chats[rand(20)].id, assignee: rand(7) === 6 ? null : agents[rand(6)].id }));
  const statuses = await Promise.all(
    jobs.map(async (j) => (await fetch(`${j.base}/v1/chats/assignee`, { method: 'PUT', headers, body: JSON.stringify({ id: j.chat, assignee: j.assignee }) })).status),
  );
  expect(statuses.filter((s) => s !== 200)).toEqual([]);

  let changes = 0;
  for (const chat of chats) {
    const history = await database.db.selectFrom('assignments').select(['from_agent_id', 'to_agent_id']).where('chat_id', '=', chat.id).orderBy('id').execute();
    const final = await database.db.selectFrom('chats').select('assignee_id').where('id', '=', chat.id).executeTakeFirstOrThrow();
    let previous: number | null = null;
    for (const row of history) {
      expect(row.from_agent_id).toBe(previous); // a lost update would break the chain
      expect(row.to_agent_id).not.toBe(row.from_agent_id);
      previous = row.to_agent_id;
    }
    expect(final.assignee_id).toBe(previous);
    changes += history.length;
  }
  const events = await database.db.selectFrom('outbox').select('id').where('event', '=', 'chat.assigned').where('organization_id', '=', org.id).execute();
  expect(events).toHaveLength(changes);
  expect(changes).toBeGreaterThan(100);
}, 120_000);

it.skipIf(!enabled)("an organization's 121st request in a minute is refused whichever instance receives it", async () => {
  const f = factories(database, fixedClock(T0));
  const org = await f.org({ rateLimitPerMinute: null }); // the default, 120
  const other = await f.org({ rateLimitPerMinute: null });
  const get = (base: string, key: string) => fetch(`${base}/v1/agents`, { headers: { authorization: `Bearer ${key}` } });
  const statuses = await Promise.all(Array.from({ length: 120 }, (_, i) => get(bases[i % 2], org.apiKey).then((r) => r.status)));
  expect(statuses.filter((s) => s !== 200)).toEqual([]);
  for (const base of bases) {
    const refused = await get(base, org.apiKey);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  }
  expect((await get(bases[1], other.apiKey)).status).toBe(200);
}, 60_000);
