// What every door of an assignment leaves in the database and answers, byte for byte (issue 17:
// "the history/outbox rows are byte-for-byte what they were"). One scenario walks the doors and
// the routing triggers an assignment pulls — API key, inbox session, a chat created with an
// assignee, the router (round robin, no-reply timer), the queue, a closed chat, a department's
// own policy, a 409 and a no-op — and the rows it leaves (history, outbox with its webhook
// state, routing jobs, the chats' assignee and queue, the agents' open chats) plus every answer's
// raw body are compared with the file the code wrote before the single-statement write
// (issue 17 item 4), the same file on both databases. Random parts (event ids, the API key's prefix) are masked.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, client, type TestApp } from './helpers/app.ts';
import { factories } from './helpers/factories.ts';
import { routingHelpers } from './helpers/routing.ts';
import { sessionFor } from './helpers/session.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

it('every door of an assignment leaves the same rows and answers the same bytes', async () => {
  const f = factories(t.database, t.clock);
  const r = routingHelpers(t.database, t.clock);
  const org = await f.org({ name: 'Rows' });
  const api = client(t.app, org.apiKey);
  const [a1, a2, a3] = [await f.agent(org.id, { role: 'admin' }), await f.agent(org.id), await f.agent(org.id, { role: 'superviser' })];
  const sales = await f.department(org.id, 'Sales');
  // an active subscription that wants chat.assigned: its events are written pending (webhook-interest.ts)
  await t.database.write((trx) => trx.updateTable('organizations').set({ webhook_events: ',chat.assigned,chat.new,', webhook_generation: 3 }).where('id', '=', org.id).execute());
  const answers: string[] = [];
  const step = async (label: string, call: Promise<{ status: number; text: string }>) => {
    t.clock.advance(7);
    const res = await call;
    answers.push(`${label} ${res.status} ${res.text}`);
    return res;
  };
  const put = (body: Record<string, unknown>) => api.put('/v1/chats/assignee', body);

  const c1 = (await step('create c1', api.post('/v1/chats', { customer: (await f.customer(org.id)).id, application: org.applicationId }))).text;
  const chat1 = JSON.parse(c1).id as number;
  await step('a2 writes in c1', api.post('/v1/messages', { chat: chat1, text: 'hello', agent: a2.id }));
  await step('c1 → a1', put({ id: chat1, assignee: a1.id }));
  await step('c1 → a1 again (no-op)', put({ id: chat1, assignee: a1.id }));
  await step('c1 → a2 expecting a1', put({ id: chat1, assignee: a2.id, expectedAssignee: a1.id }));
  await step('c1 → a3 expecting a1 (409)', put({ id: chat1, assignee: a3.id, expectedAssignee: a1.id }));
  await step('c1 → unknown agent (400)', put({ id: chat1, assignee: 999_999 }));
  await step('unknown chat (404)', put({ id: 999_999, assignee: a1.id }));
  await step('c1 → nobody', put({ id: chat1, assignee: null }));

  const c2 = await step('create c2 with a3', api.post('/v1/chats', { customer: (await f.customer(org.id)).id, application: org.applicationId, assignee: a3.id, department: sales.id }));
  const chat2 = JSON.parse(c2.text).id as number;
  const admin = await sessionFor(t, org.id, a1.id);
  await step('inbox: c2 → a1', admin.api.put('/v1/chats/assignee', { id: chat2, assignee: a1.id }));
  const plain = await sessionFor(t, org.id, a2.id);
  await step('inbox agent: c2 → a2 (403)', plain.api.put('/v1/chats/assignee', { id: chat2, assignee: a2.id }));

  await step('close c1', api.put('/v1/chats/status', { id: chat1, status: 'closed' }));
  await step('closed c1 → a2', put({ id: chat1, assignee: a2.id }));

  // routing: round robin with a no-reply timer for the organization, manual for Sales
  for (const a of [a1, a2, a3]) await r.presence(org.id, a.id, 'online');
  await r.policy(org.id, null, { strategy: 'round_robin', reassignAfterMinutes: 5 });
  await r.policy(org.id, sales.id, { strategy: 'manual' });
  const c3 = await step('create c3 (routed)', api.post('/v1/chats', { customer: (await f.customer(org.id)).id, application: org.applicationId }));
  const chat3 = JSON.parse(c3.text).id as number;
  await r.run();
  await step('c3 → a3 by hand', put({ id: chat3, assignee: a3.id }));
  await step('c3 → nobody (queued, drain)', put({ id: chat3, assignee: null }));
  const c4 = await step('create c4 (waits)', api.post('/v1/chats', { customer: (await f.customer(org.id)).id, application: org.applicationId }));
  const chat4 = JSON.parse(c4.text).id as number;
  await step('c4 → a1 (leaves the queue)', put({ id: chat4, assignee: a1.id }));
  await step('c2 (Sales, manual) → a2', put({ id: chat2, assignee: a2.id }));
  await step('c4 → a2 (a seat freed while c3 waits)', put({ id: chat4, assignee: a2.id }));
  const jobs = async (when: string) =>
    (await t.database.db.selectFrom('routing_jobs').select(['job_key', 'kind', 'chat_id', 'agent_id', 'due_at', 'created_at']).orderBy('job_key').execute()).map((row) => `job ${when} ${JSON.stringify(row)}`);
  const jobsBefore = await jobs('before the run');
  t.clock.advance(600);
  await r.run(); // the no-reply timer of c4, the drain of c3

  const db = t.database.db;
  const prefix = (await db.selectFrom('api_keys').select('prefix').where('id', '=', org.apiKeyId).executeTakeFirstOrThrow()).prefix;
  const mask = (text: string) => text.replaceAll(prefix, '<key prefix>');
  const lines = [
    ...answers.map(mask),
    ...(await db.selectFrom('assignments').selectAll().orderBy('id').execute()).map((row) => `assignment ${mask(JSON.stringify(row))}`),
    ...(await db.selectFrom('outbox').selectAll().orderBy('id').execute()).map((row) => `outbox ${mask(JSON.stringify({ ...row, event_id: row.event_id.length }))}`),
    ...jobsBefore,
    ...(await jobs('after the run')),
    ...(await db.selectFrom('chats').select(['id', 'assignee_id', 'status', 'updated_at', 'queued_at']).orderBy('id').execute()).map((row) => `chat ${JSON.stringify(row)}`),
    ...(await db.selectFrom('agents').select(['id', 'open_chats', 'last_routed_seq']).orderBy('id').execute()).map((row) => `agent ${JSON.stringify(row)}`),
  ];
  await expect(lines.join('\n') + '\n').toMatchFileSnapshot('./snapshots/assignment-rows.txt');
});
