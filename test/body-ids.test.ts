// Tenant isolation of ids in bodies (API.md §5, issue 4): `customer`, `agent`, `department`
// and `application` of another organization get exactly the answer a missing id gets — a 400
// naming the field — and nothing changes, in either organization.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, client, type TestApp } from './helpers/app.ts';
import { expect400 } from './helpers/expect.ts';
import { factories } from './helpers/factories.ts';

type World = Awaited<ReturnType<ReturnType<typeof factories>['world']>> & { department: { id: number } };

let t: TestApp;
let a: World;
let b: World;

beforeAll(async () => {
  t = await buildTestApp();
  const f = factories(t.database, t.clock);
  const world = async (): Promise<World> => {
    const w = await f.world();
    return { ...w, department: await f.department(w.org.id) };
  };
  a = await world();
  b = await world();
});
afterAll(() => t.close());

interface Case {
  name: string;
  method: 'POST' | 'PUT';
  path: string;
  field: string;
  entity: 'Customer' | 'Agent' | 'Department' | 'Application';
  /** the body naming `id` in `field`; everything else valid for organization a */
  body: (id: number) => unknown;
  /** b's entity of that kind */
  foreign: () => number;
}

const CASES = (): Case[] => [
  { name: 'POST /v1/chats customer', method: 'POST', path: '/v1/chats', field: 'customer', entity: 'Customer', body: (id) => ({ customer: id, application: a.org.applicationId }), foreign: () => b.chat.customer.id },
  { name: 'POST /v1/chats application', method: 'POST', path: '/v1/chats', field: 'application', entity: 'Application', body: (id) => ({ customer: a.chat.customer.id, application: id }), foreign: () => b.org.applicationId },
  { name: 'POST /v1/chats department', method: 'POST', path: '/v1/chats', field: 'department', entity: 'Department', body: (id) => ({ customer: a.chat.customer.id, application: a.org.applicationId, department: id }), foreign: () => b.department.id },
  { name: 'POST /v1/chats assignee', method: 'POST', path: '/v1/chats', field: 'assignee', entity: 'Agent', body: (id) => ({ customer: a.chat.customer.id, application: a.org.applicationId, assignee: id }), foreign: () => b.agents[0].id },
  { name: 'POST /v1/messages agent', method: 'POST', path: '/v1/messages', field: 'agent', entity: 'Agent', body: (id) => ({ chat: a.chat.id, text: 'hi', agent: id }), foreign: () => b.agents[0].id },
  { name: 'PUT /v1/chats/department department', method: 'PUT', path: '/v1/chats/department', field: 'department', entity: 'Department', body: (id) => ({ id: a.chat.id, department: id }), foreign: () => b.department.id },
  { name: 'POST /v1/events customer', method: 'POST', path: '/v1/events', field: 'customer', entity: 'Customer', body: (id) => ({ name: 'x', customer: id }), foreign: () => b.chat.customer.id },
  { name: 'PUT /v1/customers/batch customer', method: 'PUT', path: '/v1/customers/batch', field: '[0].customer', entity: 'Customer', body: (id) => [{ customer: id, name: 'x' }], foreign: () => b.chat.customer.id },
];

/** everything either organization could have changed */
async function snapshot() {
  const db = t.database.db;
  return {
    chats: await db.selectFrom('chats').selectAll().orderBy('id').execute(),
    messages: (await db.selectFrom('messages').select('id').execute()).length,
    customers: await db.selectFrom('customers').selectAll().orderBy('id').execute(),
    events: (await db.selectFrom('customer_events').select('id').execute()).length,
    outbox: (await db.selectFrom('outbox').select('id').execute()).length,
  };
}

describe('ids of another organization in a body', () => {
  it.each(CASES().map((c) => [c.name, c] as const))('%s: same 400 as a missing id, nothing changes', async (_, c) => {
    const api = client(t.app, a.org.apiKey);
    const send = (id: number) => (c.method === 'POST' ? api.post(c.path, c.body(id)) : api.put(c.path, c.body(id)));
    const before = await snapshot();
    const foreignId = c.foreign();
    const missingId = 99_999_999;
    const rf = await send(foreignId);
    const rm = await send(missingId);
    expect400(rm, { code: c.field, message: `${c.entity} for ID "${missingId}" was not found` });
    expect(rf.status).toBe(400);
    expect(rf.text.replaceAll(String(foreignId), 'ID')).toBe(rm.text.replaceAll(String(missingId), 'ID'));
    expect(await snapshot()).toEqual(before);
  });

  it('the same bodies with organization a’s own ids succeed (the cases test the id, nothing else)', async () => {
    const api = client(t.app, a.org.apiKey);
    const own: Record<string, number> = {
      'POST /v1/chats customer': a.chat.customer.id,
      'POST /v1/chats application': a.org.applicationId,
      'POST /v1/chats department': a.department.id,
      'POST /v1/chats assignee': a.agents[0].id,
      'POST /v1/messages agent': a.agents[0].id,
      'PUT /v1/chats/department department': a.department.id,
      'POST /v1/events customer': a.chat.customer.id,
      'PUT /v1/customers/batch customer': a.chat.customer.id,
    };
    for (const c of CASES()) {
      const res = c.method === 'POST' ? await api.post(c.path, c.body(own[c.name])) : await api.put(c.path, c.body(own[c.name]));
      expect(res.status, c.name).toBeLessThan(300);
    }
  });
});
