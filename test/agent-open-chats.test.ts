// Each agent's open chats (migration 0012: kept on the agent's row by triggers, read by routing
// as the agent's load) always equal a plain count, whatever writes the chats: assignments and
// unassignments, status changes to and from closed, customer deletion with their chats, a
// direct SQL update. Both databases.
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, client, type TestApp } from './helpers/app.ts';
import { factories } from './helpers/factories.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

async function expectCountsExact() {
  const kept = await t.database.db.selectFrom('agents').select(['id', 'open_chats']).orderBy('id').execute();
  const real = await sql<{ id: number; n: number }>`select a.id, (select count(*) from chats c where c.assignee_id = a.id and c.status <> 'closed') as n
    from agents a order by a.id`.execute(t.database.db);
  expect(kept.map((a) => [a.id, a.open_chats])).toEqual(real.rows.map((r) => [r.id, Number(r.n)]));
}

it('stays equal to a plain count through every kind of write', async () => {
  const f = factories(t.database, t.clock);
  const org = await f.org();
  const api = client(t.app, org.apiKey);
  const agents = [await f.agent(org.id), await f.agent(org.id), await f.agent(org.id)];
  const customers = [await f.customer(org.id), await f.customer(org.id), await f.customer(org.id)];
  const chats = [];
  for (let i = 0; i < 12; i++) chats.push(await f.chat(org.id, { applicationId: org.applicationId, customerId: customers[i % 3].id, assignee: i % 4 === 0 ? undefined : agents[i % 3].id }));
  await expectCountsExact();

  let seed = 11;
  const pick = <T>(xs: T[]) => xs[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % xs.length];
  const statuses = ['closed', 'opened', 'pending', 'closed', 'new'];
  for (let step = 0; step < 60; step++) {
    const chat = pick(chats);
    const kind = step % 3;
    if (kind === 0) await api.put('/v1/chats/assignee', { id: chat.id, assignee: pick([...agents.map((a) => a.id), null]) });
    else if (kind === 1) await api.put('/v1/chats/status', { id: chat.id, status: pick(statuses) });
    else await api.post('/v1/messages', { chat: chat.id, text: 'hi' }); // may reopen a closed chat
  }
  await expectCountsExact();

  // a direct write (an operator's SQL) and a customer deleted with their chats are counted too
  await t.database.write((trx) => trx.updateTable('chats').set({ assignee_id: agents[2].id, status: 'opened' }).where('customer_id', '=', customers[1].id).execute());
  await expectCountsExact();
  expect((await api.delete(`/v1/customers/${customers[0].id}`)).status).toBe(200);
  await expectCountsExact();
});
