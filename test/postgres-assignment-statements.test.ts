// PostgreSQL: an assignment PUT is two statements and no BEGIN/COMMIT (issue 17: one read, one
// write that is its own transaction, assignment/assignment.repository.ts); a no-op is the read
// alone; and a write of the chat that commits between an assignment's read and its write is
// not lost: the assignment's write changes nothing, it reads again and answers the chat as that
// write left it.
import pg from 'pg';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { buildTestApp, client, TEST_DB, type Client, type TestApp } from './helpers/app.ts';
import { factories } from './helpers/factories.ts';

const pgOnly = it.skipIf(TEST_DB !== 'postgres');
let t: TestApp;
let api: Client;
let org: Awaited<ReturnType<ReturnType<typeof factories>['org']>>;
let agents: Array<{ id: number }>;
let f: ReturnType<typeof factories>;

beforeAll(async () => {
  if (TEST_DB !== 'postgres') return console.log('postgres-assignment-statements: PostgreSQL only (TEST_DATABASE_URL unset)');
  t = await buildTestApp();
  f = factories(t.database, t.clock);
  org = await f.org();
  agents = [await f.agent(org.id), await f.agent(org.id)];
  api = client(t.app, org.apiKey);
});
afterAll(() => t?.close());
afterEach(() => vi.restoreAllMocks());

type Query = (this: pg.Client, config: unknown, values?: unknown) => Promise<unknown>;
const textOf = (config: unknown) => (typeof config === 'string' ? config : ((config as { text?: string }).text ?? ''));

/** every statement the process sends while `run` runs (but `ignore`'s), and `before(text)` awaited before each is sent */
async function statementsOf(run: () => Promise<unknown>, before: (text: string) => Promise<void> = async () => {}, ignore?: pg.Client) {
  const sent: string[] = [];
  const original = pg.Client.prototype.query as unknown as Query;
  vi.spyOn(pg.Client.prototype, 'query').mockImplementation(async function (this: pg.Client, config: unknown, values?: unknown) {
    const text = textOf(config);
    if (this === ignore) return original.call(this, config, values);
    sent.push(text);
    await before(text);
    return original.call(this, config, values);
  } as never);
  await run();
  vi.restoreAllMocks();
  return sent;
}

pgOnly('a change of assignee is two statements, a no-op one; neither sends BEGIN or COMMIT', async () => {
  const chat = await f.chat(org.id, { applicationId: org.applicationId });
  await api.get(`/v1/chats/${chat.id}`); // the API key is looked up once, then cached (http/auth)
  const changed = await statementsOf(async () => expect((await api.put('/v1/chats/assignee', { id: chat.id, assignee: agents[0].id })).status).toBe(200));
  expect(changed).toHaveLength(2);
  expect(changed[1]).toMatch(/^\s*with chat as \(\s*update chats/);
  expect(changed.some((s) => /^\s*(begin|commit|start transaction)/i.test(s))).toBe(false);
  const noOp = await statementsOf(async () => expect((await api.put('/v1/chats/assignee', { id: chat.id, assignee: agents[0].id })).status).toBe(200));
  expect(noOp).toHaveLength(1);
});

pgOnly('a write of the chat committed between the read and the write: the assignment runs again, locked, and keeps it', async () => {
  const chat = await f.chat(org.id, { applicationId: org.applicationId });
  await api.put('/v1/chats/assignee', { id: chat.id, assignee: agents[0].id });
  const other = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await other.connect();
  let interfered = false;
  let answer: { status: number; body: any } | undefined;
  try {
    const sent = await statementsOf(
      async () => (answer = await api.put('/v1/chats/assignee', { id: chat.id, assignee: agents[1].id })),
      async (text) => {
        if (interfered || !/^\s*with chat as/.test(text)) return;
        interfered = true; // another instance's write, committed after this assignment's read
        await other.query(`update ${t.database.schema}.chats set last_message_text = 'meanwhile', assignee_id = null where id = $1`, [chat.id]);
      },
      other,
    );
    expect(sent.filter((s) => /^\s*with chat as/.test(s))).toHaveLength(2); // the first write changed nothing
    const again = sent.slice(sent.findIndex((s) => /^\s*with chat as/.test(s)) + 1);
    expect(again[0]).toMatch(/^begin$/);
    expect(again[1]).toMatch(/ for update of "c"$/);
    expect(again.at(-1)).toMatch(/^commit$/);
  } finally {
    await other.end();
  }
  expect(answer!.status).toBe(200);
  expect(answer!.body).toMatchObject({ lastMessageText: 'meanwhile', assignee: { id: agents[1].id } });
  const history = await t.database.db.selectFrom('assignments').select(['from_agent_id', 'to_agent_id']).where('chat_id', '=', chat.id).orderBy('id').execute();
  // judged on the chat as the other write left it (unassigned), not as first read
  expect(history).toEqual([{ from_agent_id: null, to_agent_id: agents[0].id }, { from_agent_id: null, to_agent_id: agents[1].id }]);
  const events = await t.database.db.selectFrom('outbox').select('event_data').where('chat_id', '=', chat.id).where('event', '=', 'chat.assigned').orderBy('id').execute();
  expect(events).toHaveLength(2);
  expect(JSON.parse(events[1].event_data)).toMatchObject({ chat: { lastMessageText: 'meanwhile' }, previousAssignee: null });
});
