// GET /v1/chats/{id} and POST /v1/chats (API.md §3, §4.1, §4.4, §5).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, client, T0, type Client, type TestApp } from './helpers/app.ts';
import { agentRef, CHAT_KEYS, freshChat, expect400, expectError, expectExact, INVALID } from './helpers/expect.ts';
import { factories } from './helpers/factories.ts';

let t: TestApp;
let f: ReturnType<typeof factories>;
let api: Client;
let w: Awaited<ReturnType<ReturnType<typeof factories>['world']>>;
let customer: Awaited<ReturnType<ReturnType<typeof factories>['customer']>>;

beforeAll(async () => {
  t = await buildTestApp();
  f = factories(t.database, t.clock);
  w = await f.world();
  api = client(t.app, w.org.apiKey);
  customer = await f.customer(w.org.id, { name: 'Dana', email: 'dana@example.test', userId: 'u-1' });
});
afterAll(() => t.close());

describe('POST /v1/chats', () => {
  it('creates an empty chat → 201 with the whole Chat', async () => {
    const res = await api.post('/v1/chats', { customer: customer.id, application: w.org.applicationId });
    expectExact(
      res,
      201,
      freshChat({ id: res.body.id, createdAt: T0, applicationId: w.org.applicationId, customer: { id: customer.id, name: 'Dana', email: 'dana@example.test', userId: 'u-1' } }),
    );
    expect(typeof res.body.id).toBe('number');
    const events = await t.database.db.selectFrom('outbox').select('event').where('chat_id', '=', res.body.id).execute();
    expect(events.map((e) => e.event)).toEqual(['chat.new']);
  });

  it('with an assignee and a department: one history row and one chat.assigned event (API.md §5)', async () => {
    const dept = await f.department(w.org.id, 'Billing');
    const res = await api.post('/v1/chats', { customer: String(customer.id), application: w.org.applicationId, assignee: w.agents[2].id, department: dept.id });
    expect(res.status).toBe(201);
    expect(res.body.assignee).toEqual(agentRef(w.agents[2]));
    expect(res.body.department).toEqual({ id: dept.id, name: 'Billing' });
    const history = (await api.get(`/v1/chats/${res.body.id}/assignments`)).body;
    expect(history.meta.total).toBe(1);
    expect(history.data[0]).toMatchObject({ from: null, to: agentRef(w.agents[2]), source: 'api', assignedBy: { type: 'api_key' } });
    const events = await t.database.db.selectFrom('outbox').select('event').where('chat_id', '=', res.body.id).orderBy('id').execute();
    expect(events.map((e) => e.event)).toEqual(['chat.new', 'chat.assigned']);
  });

  it('missing and malformed fields → one 400 listing each', async () => {
    expect400(
      await api.post('/v1/chats', { application: 'x', assignee: -1 }),
      { code: 'customer', message: 'This value should not be blank.' },
      { code: 'application', message: 'This value should be of type numeric.' },
      { code: 'assignee', message: 'This value should be positive.' },
    );
  });

  it('unknown or foreign customer, application, department, assignee → one 400 naming each; nothing created', async () => {
    const other = await f.world();
    const otherDept = await f.department(other.org.id);
    const gone = await f.agent(w.org.id, { active: false });
    const before = await t.database.db.selectFrom('chats').select('id').execute();
    expect400(
      await api.post('/v1/chats', { customer: other.chat.customer.id, application: other.org.applicationId, department: otherDept.id, assignee: other.agents[0].id }),
      { code: 'customer', message: `Customer for ID "${other.chat.customer.id}" was not found` },
      { code: 'application', message: `Application for ID "${other.org.applicationId}" was not found` },
      { code: 'department', message: `Department for ID "${otherDept.id}" was not found` },
      { code: 'assignee', message: `Agent for ID "${other.agents[0].id}" was not found` },
    );
    expect400(await api.post('/v1/chats', { customer: customer.id, application: w.org.applicationId, assignee: gone.id }), {
      code: 'assignee',
      message: `Agent for ID "${gone.id}" is deactivated`,
    });
    expect(await t.database.db.selectFrom('chats').select('id').execute()).toEqual(before);
  });
});

describe('GET /v1/chats/{id}', () => {
  it('answers the Chat with keys in the order of API.md §3', async () => {
    await api.put('/v1/chats/assignee', { id: w.chat.id, assignee: w.agents[0].id });
    const res = await api.get(`/v1/chats/${w.chat.id}`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(CHAT_KEYS);
    expect(res.body.assignee).toEqual(agentRef(w.agents[0]));
    expect(Object.keys(res.body.assignee)).toEqual(['id', 'name', 'email', 'role']);
  });

  it('lists the agents who wrote in the chat, in the order they first did', async () => {
    const chat = await f.chat(w.org.id, { applicationId: w.org.applicationId });
    await t.database.write((trx) =>
      trx
        .insertInto('chat_agents')
        .values([
          { organization_id: w.org.id, chat_id: chat.id, agent_id: w.agents[1].id, created_at: T0 + 5 },
          { organization_id: w.org.id, chat_id: chat.id, agent_id: w.agents[0].id, created_at: T0 + 9 },
        ])
        .execute(),
    );
    expect((await api.get(`/v1/chats/${chat.id}`)).body.agents).toEqual([agentRef(w.agents[1]), agentRef(w.agents[0])]);
  });

  it('unknown chat → the general 404', async () => {
    expectError(await api.get('/v1/chats/424242'), 404, INVALID, { code: 'not_found', message: 'Chat not found' });
  });
});
