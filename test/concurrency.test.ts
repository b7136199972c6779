// 200 concurrent assignments of one chat through a server on a real port (issue 2): all
// answer 200, the final assignee is the newest history row, and the history has exactly one
// row per real change, chained in commit order (each row's `from` is the previous `to`).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helpers/app.ts';
import { factories } from './helpers/factories.ts';

let t: TestApp;
let base: string;

beforeAll(async () => {
  t = await buildTestApp(); // a real WAL file with fsync, as in production (the default)
  base = await t.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(() => t.close());

it('serialises 200 concurrent assignments of one chat without lost or duplicate history', async () => {
  const f = factories(t.database, t.clock);
  const org = await f.org();
  const agents = await Promise.all(Array.from({ length: 8 }, () => f.agent(org.id)));
  const chat = await f.chat(org.id, { applicationId: org.applicationId });
  const headers = { authorization: `Bearer ${org.apiKey}` };

  // A deterministic pseudo-random sequence, so a failure can be replayed.
  let seed = 42;
  const pick = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % (agents.length + 1); // one slot in nine means "unassign"
  };
  const targets = Array.from({ length: 200 }, () => {
    const i = pick();
    return i === agents.length ? null : agents[i].id;
  });

  const responses = await Promise.all(
    targets.map(async (assignee) => {
      const res = await fetch(`${base}/v1/chats/assignee`, { method: 'PUT', headers, body: JSON.stringify({ id: chat.id, assignee }) });
      return { status: res.status, body: (await res.json()) as { assignee: { id: number } | null } };
    }),
  );
  expect(responses.map((r) => r.status)).toEqual(targets.map(() => 200));
  // Each answer shows the chat as its own write left it.
  expect(responses.map((r) => r.body.assignee?.id ?? null)).toEqual(targets);

  const history = await t.database.db
    .selectFrom('assignments')
    .select(['id', 'from_agent_id', 'to_agent_id'])
    .where('chat_id', '=', chat.id)
    .orderBy('id')
    .execute();
  const final = await t.database.db.selectFrom('chats').select('assignee_id').where('id', '=', chat.id).executeTakeFirstOrThrow();

  expect(history.length).toBeGreaterThan(10); // the sequence has many real changes
  expect(final.assignee_id).toBe(history.at(-1)!.to_agent_id);
  let previous: number | null = null;
  for (const row of history) {
    expect(row.from_agent_id).toBe(previous); // no gap, no reordering
    expect(row.to_agent_id).not.toBe(row.from_agent_id); // no-ops write nothing
    previous = row.to_agent_id;
  }
  const events = await t.database.db.selectFrom('outbox').select('id').where('chat_id', '=', chat.id).where('event', '=', 'chat.assigned').execute();
  expect(events).toHaveLength(history.length);
});
