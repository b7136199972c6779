// Presence kept by open inbox pages (docs/inbox.md, "Presence"): a live stream opened with a
// session is an open page (a row in inbox_pages, refreshed while open); when an agent's last
// page closes the agent goes offline after the grace, through the same use case as
// PUT /v1/agents/{id}/status; a reload within the grace keeps the presence; pages a crashed
// instance left are swept once stale. Timings are shortened here (Deps.inboxPresence).
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { fixedClock } from '../src/lib/clock.ts';
import { client, freshDatabase, T0, type TestDatabase } from './helpers/app.ts';
import { factories } from './helpers/factories.ts';
import { sessionFor } from './helpers/session.ts';
import { connectSse, sleep, type SseConnection } from './helpers/sse.ts';

const TIMINGS = { refreshMs: 100, graceMs: 400, staleSeconds: 60, sweepMs: 100 };

let fresh: TestDatabase;
const clock = fixedClock(T0);
let app: FastifyInstance;
let base: string;
let f: ReturnType<typeof factories>;
const t = () => ({ app, database: fresh.database, clock });

async function instance() {
  const config = { ...loadConfig({}), logLevel: 'silent', demo: false };
  const a = await buildApp({ config, database: fresh.database, clock, inboxPresence: TIMINGS });
  await a.listen({ host: '127.0.0.1', port: 0 });
  return { app: a, base: `http://127.0.0.1:${(a.server.address() as { port: number }).port}` };
}

beforeAll(async () => {
  fresh = await freshDatabase();
  ({ app, base } = await instance());
  f = factories(fresh.database, clock);
});
afterAll(async () => {
  await app.close();
  await fresh.database.close();
  await fresh.drop();
});

async function eventually(check: () => Promise<boolean>, timeoutMs = 3_000): Promise<void> {
  for (const start = Date.now(); !(await check()); await sleep(25)) if (Date.now() - start > timeoutMs) throw new Error(`not true within ${timeoutMs} ms`);
}

/** an online agent of a new organization, and a way to open inbox pages as them */
async function onlineAgent() {
  const org = await f.org();
  const api = client(app, org.apiKey);
  const agent = await f.agent(org.id);
  expect((await api.put(`/v1/agents/${agent.id}/status`, { status: 'online' })).status).toBe(200);
  const session = await sessionFor(t(), org.id, agent.id);
  const pages = () => fresh.database.db.selectFrom('inbox_pages').selectAll().where('agent_id', '=', agent.id).execute();
  const presence = async () => (await api.get('/v1/agents')).body.data.find((a: { id: number }) => a.id === agent.id).status as string;
  const statusEvents = async () =>
    (await fresh.database.db.selectFrom('outbox').select('event_data').where('organization_id', '=', org.id).where('event', '=', 'agent.status_updated').execute()).length;
  /** opens a page (its live stream) and waits until its row is written */
  const open = async (at = base): Promise<SseConnection> => {
    const before = (await pages()).length;
    const conn = await connectSse(`${at}/v1/events/stream`, { cookie: session.cookie });
    expect(conn.status).toBe(200);
    await eventually(async () => (await pages()).length > before);
    return conn;
  };
  return { org, api, agent, session, pages, presence, statusEvents, open };
}

describe('an inbox page keeps its agent present', () => {
  it('opening the stream with a session writes a page row, refreshed while it is open', async () => {
    const a = await onlineAgent();
    const page = await a.open();
    const [row] = await a.pages();
    expect(row).toMatchObject({ organization_id: a.org.id, agent_id: a.agent.id, seen_at: T0 });
    clock.advance(5);
    await eventually(async () => (await a.pages())[0]?.seen_at === T0 + 5);
    page.close();
    await eventually(async () => (await a.pages()).length === 0);
  });

  it('an API key stream is no page', async () => {
    const a = await onlineAgent();
    const conn = await connectSse(`${base}/v1/events/stream`, { authorization: `Bearer ${a.org.apiKey}` });
    expect(conn.status).toBe(200);
    await sleep(100);
    expect(await fresh.database.db.selectFrom('inbox_pages').select('id').where('organization_id', '=', a.org.id).execute()).toEqual([]);
    conn.close();
  });

  it('the last page closed: offline after the grace, not before, with the agent.status_updated event', async () => {
    const a = await onlineAgent();
    const page = await a.open();
    const events = await a.statusEvents();
    page.close();
    await eventually(async () => (await a.pages()).length === 0);
    expect(await a.presence()).toBe('online'); // within the grace
    await eventually(async () => (await a.presence()) === 'offline');
    expect(await a.statusEvents()).toBe(events + 1);
  });

  it('a reload (a new page within the grace) keeps the presence', async () => {
    const a = await onlineAgent();
    const first = await a.open();
    first.close();
    await eventually(async () => (await a.pages()).length === 0);
    const second = await a.open();
    await sleep(TIMINGS.graceMs + 300);
    expect(await a.presence()).toBe('online');
    second.close();
    await eventually(async () => (await a.presence()) === 'offline');
  });

  it('two pages: closing one keeps the presence; closing both ends it', async () => {
    const a = await onlineAgent();
    const one = await a.open();
    const two = await a.open();
    one.close();
    await sleep(TIMINGS.graceMs + 300);
    expect(await a.presence()).toBe('online');
    expect(await a.pages()).toHaveLength(1);
    two.close();
    await eventually(async () => (await a.presence()) === 'offline');
  });

  it('an agent already offline is left alone: no second event', async () => {
    const a = await onlineAgent();
    const page = await a.open();
    await a.api.put(`/v1/agents/${a.agent.id}/status`, { status: 'offline' });
    const events = await a.statusEvents();
    page.close();
    await sleep(TIMINGS.graceMs + 300);
    expect(await a.statusEvents()).toBe(events);
  });

  it('a page on another instance counts', async () => {
    const other = await instance();
    try {
      const a = await onlineAgent();
      const here = await a.open();
      const there = await a.open(other.base);
      here.close();
      await sleep(TIMINGS.graceMs + 300);
      expect(await a.presence()).toBe('online');
      there.close();
      await eventually(async () => (await a.presence()) === 'offline');
    } finally {
      await other.app.close();
    }
  });
});

describe('pages left behind', () => {
  it("a crashed instance's page is swept once stale: the agent goes offline", async () => {
    const a = await onlineAgent();
    await fresh.database.write((trx) => trx.insertInto('inbox_pages').values({ id: 'crashed-1', organization_id: a.org.id, agent_id: a.agent.id, seen_at: clock.now() - 61 }).execute());
    await eventually(async () => (await a.pages()).length === 0);
    await eventually(async () => (await a.presence()) === 'offline');
  });

  it('a stale page is swept, but a fresh one elsewhere keeps the presence', async () => {
    const a = await onlineAgent();
    await fresh.database.write((trx) => trx.insertInto('inbox_pages').values({ id: 'fresh-2', organization_id: a.org.id, agent_id: a.agent.id, seen_at: clock.now() }).execute());
    await fresh.database.write((trx) => trx.insertInto('inbox_pages').values({ id: 'crashed-2', organization_id: a.org.id, agent_id: a.agent.id, seen_at: clock.now() - 61 }).execute());
    await eventually(async () => (await a.pages()).length === 1);
    await sleep(200);
    expect(await a.presence()).toBe('online');
    await fresh.database.write((trx) => trx.deleteFrom('inbox_pages').where('id', '=', 'fresh-2').execute());
  });

  it('an instance shutting down leaves its open pages for the sweep; a grace still waiting runs at once', async () => {
    const other = await instance();
    const a = await onlineAgent();
    const b = await onlineAgent();
    await a.open(other.base); // open when the instance stops
    const closed = await b.open(other.base);
    closed.close(); // its grace is still running when the instance stops
    await eventually(async () => (await b.pages()).length === 0);
    await other.app.close();
    expect(await b.presence()).toBe('offline'); // run during close, not 400 ms later
    expect(await a.pages()).toHaveLength(1); // left: the page may reconnect elsewhere
    expect(await a.presence()).toBe('online');
    await fresh.database.write((trx) => trx.updateTable('inbox_pages').set({ seen_at: clock.now() - 61 }).where('agent_id', '=', a.agent.id).execute());
    await eventually(async () => (await a.presence()) === 'offline'); // this instance's sweep
  });
});
