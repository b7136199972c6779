// Ids beyond what the id columns hold (issue 15): PostgreSQL's `integer` refused 2^31 with a 500
// wherever an id reached a query. One range on both databases: 1..2147483647. Beyond it, an id
// in a URL names nothing (the general 404), and one in a body or a search value is a 400
// naming the field — the same answers on SQLite and PostgreSQL.
import { describe, expect, it } from 'vitest';
import { worldSuite } from './helpers/world-suite.ts';
import { expect400, expectError, INVALID } from './helpers/expect.ts';

const TOO_LARGE = 'This value should be less than or equal to 2147483647.';
const BEYOND = [2_147_483_648, '2147483648', 2 ** 53 - 1, 2 ** 53, 1e30];

const s = worldSuite();

describe('an id beyond 2^31−1', () => {
  it.each([
    ['/v1/chats/', 'Chat'], ['/v1/customers/', 'Customer'], ['/v1/chats/{id}/messages', 'Chat'], ['/v1/chats/{id}/assignments', 'Chat'],
    ['/v1/webhooks/{id}/deliveries', 'Webhook'], ['/v1/customers/{id}/events', 'Customer'],
  ])('in the URL %s is an unknown entity: the general 404', async (path, entity) => {
    for (const id of ['2147483648', '9007199254740991', '2147483647']) {
      const url = path.includes('{id}') ? path.replace('{id}', id) : `${path}${id}`;
      expectError(await s.api.get(url), 404, INVALID, { code: 'not_found', message: `${entity} not found` });
    }
  });

  it.each(BEYOND)('%j in a body is a 400 naming the field, and nothing changes', async (id) => {
    expect400(await s.api.put('/v1/chats/assignee', { id, assignee: null }), { code: 'id', message: TOO_LARGE });
    expect400(await s.api.put('/v1/chats/assignee', { id: s.w.chat.id, assignee: id }), { code: 'assignee', message: TOO_LARGE });
    expect400(await s.api.put('/v1/chats/department', { id: s.w.chat.id, department: id }), { code: 'department', message: TOO_LARGE });
    expect400(await s.api.post('/v1/messages', { chat: id, text: 'hi' }), { code: 'chat', message: TOO_LARGE });
    expect400(await s.api.post('/v1/chats', { customer: id, application: s.w.org.applicationId }), { code: 'customer', message: TOO_LARGE });
    expect400(await s.api.post('/v1/events', { name: 'x', customer: id }), { code: 'customer', message: TOO_LARGE });
    expect((await s.api.get(`/v1/chats/${s.w.chat.id}`)).body.assignee).toBeNull();
  });

  it.each([['chats.assignee'], ['chats.customer'], ['chats.department'], ['chats.agents']])('in a %s search value is a 400 on filter[0].value', async (field) => {
    for (const value of BEYOND) {
      expect400(await s.api.post('/v1/chats/search', { filter: [{ field, operator: '=', value }] }), { code: 'filter[0].value', message: TOO_LARGE });
    }
  });

  it('in a customers.id search value is a 400 on filter[0].value', async () => {
    expect400(await s.api.post('/v1/customers/search', { filter: [{ field: 'customers.id', operator: '=', value: 2_147_483_648 }] }), {
      code: 'filter[0].value',
      message: TOO_LARGE,
    });
  });

  it('2^31−1 itself is an id like any other: unknown, so the not-found answers', async () => {
    const max = 2_147_483_647;
    expectError(await s.api.put('/v1/chats/assignee', { id: max, assignee: null }), 404, { code: 'not_fount', message: `Chat for ID "${max}" was not found` });
    expect400(await s.api.put('/v1/chats/assignee', { id: s.w.chat.id, assignee: max }), { code: 'assignee', message: `Agent for ID "${max}" was not found` });
    const search = await s.api.post('/v1/chats/search', { filter: [{ field: 'chats.assignee', operator: '=', value: max }] });
    expect(search.status).toBe(200);
    expect(search.body.data).toEqual([]);
  });
});
